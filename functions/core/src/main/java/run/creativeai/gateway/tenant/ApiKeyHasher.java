package run.creativeai.gateway.tenant;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a presented API key into the keyed hash the key table is indexed by. The pepper lives in
 * Secrets Manager, so a copy of the table alone cannot be used to test guesses offline.
 */
public final class ApiKeyHasher {
    private final SecretKeySpec pepper;

    public ApiKeyHasher(byte[] pepper) {
        if (pepper.length < 16) {
            throw new IllegalArgumentException("the API key pepper must be at least 16 bytes");
        }
        this.pepper = new SecretKeySpec(pepper.clone(), "HmacSHA256");
    }

    public String hash(String presentedKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(pepper);
            return HexFormat.of().formatHex(mac.doFinal(presentedKey.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
