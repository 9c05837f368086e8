package run.creativeai.gateway.webhook;

import java.util.Base64;

/**
 * A tenant's webhook signing secret in the Standard Webhooks form {@code whsec_<base64 key>}. Its
 * text never appears in {@link #toString()}.
 */
public final class SigningSecret {
    private static final String PREFIX = "whsec_";
    private final String value;
    private final byte[] key;

    public SigningSecret(String value) {
        if (value == null || !value.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a signing secret starts with " + PREFIX);
        }
        this.value = value;
        this.key = Base64.getDecoder().decode(value.substring(PREFIX.length()));
        if (key.length < 24) {
            throw new IllegalArgumentException("a signing secret holds at least 24 bytes of key");
        }
    }

    public static SigningSecret generate(java.security.SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return new SigningSecret(PREFIX + Base64.getEncoder().encodeToString(bytes));
    }

    /** The secret as the tenant is given it. */
    public String reveal() {
        return value;
    }

    byte[] key() {
        return key.clone();
    }

    @Override
    public String toString() {
        return "SigningSecret[redacted]";
    }
}
