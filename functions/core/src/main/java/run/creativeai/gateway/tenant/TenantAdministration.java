package run.creativeai.gateway.tenant;

import java.security.SecureRandom;
import run.creativeai.gateway.config.IdSource;
import run.creativeai.gateway.plan.PlanCatalog;
import run.creativeai.gateway.webhook.SigningSecret;
import run.creativeai.gateway.webhook.SigningSecretStore;

/**
 * Creates what a tenant needs to use the API: API keys (stored only as keyed hashes; the key itself
 * is returned once, to be handed to the tenant) and the webhook signing secret.
 */
public final class TenantAdministration {
    private static final char[] KEY_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private final ApiKeyHasher hasher;
    private final KeyRegistry keys;
    private final SigningSecretStore secrets;
    private final PlanCatalog plans;
    private final IdSource ids;
    private final SecureRandom random = new SecureRandom();

    public TenantAdministration(ApiKeyHasher hasher, KeyRegistry keys, SigningSecretStore secrets, PlanCatalog plans,
            IdSource ids) {
        this.hasher = hasher;
        this.keys = keys;
        this.secrets = secrets;
        this.plans = plans;
        this.ids = ids;
    }

    /** A key with the value given; for fixed, well-known keys such as the local cloud's demo keys. */
    public IssuedKey issueKey(TenantId tenant, String plan, String keyValue) {
        if (plans.find(plan).isEmpty()) {
            throw new IllegalArgumentException("unknown plan " + plan + "; plans are " + plans.names());
        }
        KeyId keyId = new KeyId("key_" + ids.next());
        keys.put(new ApiKeyRecord(hasher.hash(keyValue), keyId, tenant, plan, TenantStanding.ACTIVE, false));
        return new IssuedKey(keyId, tenant, keyValue);
    }

    /** A new random key, {@code sk_live_} followed by 40 base62 characters (about 238 bits). */
    public IssuedKey issueKey(TenantId tenant, String plan) {
        StringBuilder key = new StringBuilder("sk_live_");
        for (int i = 0; i < 40; i++) {
            key.append(KEY_ALPHABET[random.nextInt(KEY_ALPHABET.length)]);
        }
        return issueKey(tenant, plan, key.toString());
    }

    /** The tenant's webhook signing secret, created on first use and kept afterwards. */
    public SigningSecret signingSecret(TenantId tenant) {
        return secrets.find(tenant).orElseGet(() -> {
            SigningSecret secret = SigningSecret.generate(random);
            secrets.store(tenant, secret);
            return secret;
        });
    }

    /** A key as issued: the only moment its value is known outside the tenant. */
    public record IssuedKey(KeyId keyId, TenantId tenantId, String value) {
        @Override
        public String toString() {
            return "IssuedKey[" + keyId + " of " + tenantId + "]";
        }
    }
}
