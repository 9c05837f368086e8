package run.creativeai.gateway.webhook;

import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs an event's exact bytes with HMAC-SHA256 twice over: in the seed's own header
 * ({@code X-CreativeAI-Signature: sha256=<hex>}, over the body) and in the Standard Webhooks headers
 * ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature: v1,<base64>} over
 * {@code id.timestamp.body}), so receivers can verify with an existing library.
 *
 * <p>During a secret rotation every active secret signs: {@code webhook-signature} carries one
 * {@code v1,<base64>} per secret separated by a space (the Standard Webhooks form), and the seed's
 * header one {@code sha256=<hex>} per secret separated by {@code ", "} (an HTTP list, so a proxy
 * that splits or joins the header keeps its meaning). A receiver accepts the event when any one
 * signature matches a secret it holds.
 */
public final class WebhookSigner {
    private final String signatureHeader;

    /** @param signatureHeader the seed's header name, configurable per deployment */
    public WebhookSigner(String signatureHeader) {
        this.signatureHeader = signatureHeader;
    }

    public Map<String, String> headers(String eventId, byte[] body, List<SigningSecret> secrets, Instant at) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("an event is signed with at least one secret");
        }
        long timestamp = at.getEpochSecond();
        StringJoiner seed = new StringJoiner(", ");
        StringJoiner signatures = new StringJoiner(" ");
        for (SigningSecret secret : secrets) {
            seed.add("sha256=" + HexFormat.of().formatHex(hmac(secret.key(), body)));
            signatures.add(StandardWebhookSignature.sign(secret, eventId, timestamp, body));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(signatureHeader, seed.toString());
        headers.put("webhook-id", eventId);
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", signatures.toString());
        return headers;
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
