package run.creativeai.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Standard Webhooks signature scheme: {@code v1,<base64 HMAC-SHA256 over "id.timestamp.body">},
 * several space-separated in one header: how our webhooks are signed, and how the callbacks
 * providers send us are checked.
 */
public final class StandardWebhookSignature {
    /** How far a sender's timestamp may be from our clock: replays older than this are refused. */
    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    private StandardWebhookSignature() {
    }

    public static String sign(SigningSecret secret, String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.key(), "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    /** Whether any signature in {@code signatures} is {@code secret}'s, over a timestamp close enough to {@code now}. */
    public static boolean verifies(SigningSecret secret, String id, String timestamp, String signatures, byte[] body,
            Instant now) {
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        if (Duration.between(Instant.ofEpochSecond(seconds), now).abs().compareTo(TOLERANCE) > 0) {
            return false;
        }
        byte[] expected = sign(secret, id, seconds, body).getBytes(StandardCharsets.US_ASCII);
        for (String candidate : signatures.trim().split(" +")) {
            if (MessageDigest.isEqual(candidate.getBytes(StandardCharsets.US_ASCII), expected)) {
                return true;
            }
        }
        return false;
    }
}
