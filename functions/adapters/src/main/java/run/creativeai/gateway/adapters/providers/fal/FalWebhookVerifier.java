package run.creativeai.gateway.adapters.providers.fal;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import run.creativeai.gateway.adapters.providers.ProviderHttp;
import run.creativeai.gateway.api.ProviderCallbacks;

/**
 * fal's webhook signatures: Ed25519 over {@code request_id \n user_id \n timestamp \n
 * sha256-hex(body)} from the {@code X-Fal-Webhook-*} headers, hex in {@code X-Fal-Webhook-Signature},
 * by one of the keys fal publishes as a JWKS, with the timestamp within five minutes. The key set
 * is fetched when first needed and kept for a day, or until a signature matches none of its keys.
 */
public final class FalWebhookVerifier implements ProviderCallbacks.Verifier {
    private static final Duration TOLERANCE = Duration.ofMinutes(5);
    private static final Duration KEYS_KEPT = Duration.ofHours(24);
    /** DER prefix of an X.509 SubjectPublicKeyInfo for a raw 32-byte Ed25519 key. */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final ProviderHttp http;
    private final URI jwks;
    private volatile List<PublicKey> keys = List.of();
    private volatile Instant fetched = Instant.EPOCH;

    public FalWebhookVerifier(ProviderHttp http, URI jwks) {
        this.http = http;
        this.jwks = jwks;
    }

    @Override
    public boolean verifies(Map<String, String> headers, byte[] body, Instant now) {
        String requestId = headers.getOrDefault("x-fal-webhook-request-id", "");
        String userId = headers.getOrDefault("x-fal-webhook-user-id", "");
        String timestamp = headers.getOrDefault("x-fal-webhook-timestamp", "");
        byte[] signature;
        try {
            signature = HexFormat.of().parseHex(headers.getOrDefault("x-fal-webhook-signature", ""));
            long seconds = Long.parseLong(timestamp);
            if (Duration.between(Instant.ofEpochSecond(seconds), now).abs().compareTo(TOLERANCE) > 0) {
                return false;
            }
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] message = (requestId + "\n" + userId + "\n" + timestamp + "\n" + sha256Hex(body))
                .getBytes(StandardCharsets.UTF_8);
        if (anyVerifies(keys(now, false), message, signature)) {
            return true;
        }
        // fal may have rotated its keys since they were fetched.
        return anyVerifies(keys(now, true), message, signature);
    }

    private List<PublicKey> keys(Instant now, boolean refresh) {
        if (!refresh && now.isBefore(fetched.plus(KEYS_KEPT)) && !keys.isEmpty()) {
            return keys;
        }
        ProviderHttp.Answer answer = http.send(ProviderHttp.Call.get(jwks, Duration.ofSeconds(3)));
        if (answer instanceof ProviderHttp.Answer.Answered response && response.ok()) {
            List<PublicKey> loaded = new ArrayList<>();
            for (JsonNode key : response.json().map(n -> n.path("keys")).orElse(null)) {
                if ("OKP".equals(key.path("kty").asText()) && "Ed25519".equals(key.path("crv").asText())) {
                    loaded.add(publicKey(Base64.getUrlDecoder().decode(key.path("x").asText())));
                }
            }
            keys = List.copyOf(loaded);
            fetched = now;
        }
        return keys;
    }

    private static boolean anyVerifies(List<PublicKey> keys, byte[] message, byte[] signature) {
        for (PublicKey key : keys) {
            try {
                Signature ed25519 = Signature.getInstance("Ed25519");
                ed25519.initVerify(key);
                ed25519.update(message);
                if (ed25519.verify(signature)) {
                    return true;
                }
            } catch (GeneralSecurityException e) {
                // a malformed signature verifies under no key
            }
        }
        return false;
    }

    static PublicKey publicKey(byte[] raw) {
        try {
            byte[] der = new byte[ED25519_SPKI_PREFIX.length + raw.length];
            System.arraycopy(ED25519_SPKI_PREFIX, 0, der, 0, ED25519_SPKI_PREFIX.length);
            System.arraycopy(raw, 0, der, ED25519_SPKI_PREFIX.length, raw.length);
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key", e);
        }
    }

    private static String sha256Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }
}
