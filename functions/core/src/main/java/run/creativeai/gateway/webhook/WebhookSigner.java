package run.creativeai.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs an event's exact bytes with HMAC-SHA256 twice over: in the seed's own header
 * ({@code X-CreativeAI-Signature: sha256=<hex>}, over the body) and in the Standard Webhooks headers
 * ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature: v1,<base64>} over
 * {@code id.timestamp.body}), so receivers can verify with an existing library.
 */
public final class WebhookSigner {
    private final String signatureHeader;

    /** @param signatureHeader the seed's header name, configurable per deployment */
    public WebhookSigner(String signatureHeader) {
        this.signatureHeader = signatureHeader;
    }

    public Map<String, String> headers(String eventId, byte[] body, SigningSecret secret, Instant at) {
        String timestamp = Long.toString(at.getEpochSecond());
        byte[] key = secret.key();
        byte[] standard = concat((eventId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(signatureHeader, "sha256=" + HexFormat.of().formatHex(hmac(key, body)));
        headers.put("webhook-id", eventId);
        headers.put("webhook-timestamp", timestamp);
        headers.put("webhook-signature", "v1," + Base64.getEncoder().encodeToString(hmac(key, standard)));
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

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
