package run.creativeai.gateway.access;

import java.security.SecureRandom;
import run.creativeai.gateway.config.IdSource;
import run.creativeai.gateway.plan.PlanCatalog;
import run.creativeai.gateway.tenant.ApiKeyHasher;
import run.creativeai.gateway.tenant.ApiKeyRecord;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.KeyRegistry;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantStanding;
import run.creativeai.gateway.tenant.TenantTerms;
import run.creativeai.gateway.webhook.ActiveSigningSecrets;
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
    private final AccountStore accounts;
    private final IdSource ids;
    private final SecureRandom random = new SecureRandom();

    public TenantAdministration(ApiKeyHasher hasher, KeyRegistry keys, SigningSecretStore secrets, PlanCatalog plans,
            AccountStore accounts, IdSource ids) {
        this.hasher = hasher;
        this.keys = keys;
        this.secrets = secrets;
        this.plans = plans;
        this.accounts = accounts;
        this.ids = ids;
    }

    /**
     * A key with the value given; for fixed, well-known keys such as the local cloud's demo keys. It
     * carries the tenant's terms as they are, and is brought up to date if they changed meanwhile.
     */
    public IssuedKey issueKey(TenantId tenant, String plan, String keyValue) {
        if (plans.find(plan).isEmpty()) {
            throw new IllegalArgumentException("unknown plan " + plan + "; plans are " + plans.names());
        }
        KeyId keyId = new KeyId("key_" + ids.next());
        TenantTerms terms = accounts.terms(tenant);
        keys.put(new ApiKeyRecord(hasher.hash(keyValue), keyId, tenant, plan, TenantStanding.ACTIVE, false, terms,
                java.util.Optional.empty()));
        TenantTerms now = accounts.terms(tenant);
        if (now.version() != terms.version()) {
            keys.copyTerms(tenant, now);
        }
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

    /** Every key of the tenant, by id, plan and whether it is revoked; key values are never kept. */
    public java.util.List<ApiKeyRecord> keys(TenantId tenant) {
        return keys.keysOf(tenant);
    }

    /**
     * Revokes a key: the next request that presents it is refused with a 401 (authentication reads
     * the key record on every request, strongly consistent, with no cache in between).
     */
    public void revokeKey(TenantId tenant, KeyId key) {
        if (!keys.revoke(tenant, key)) {
            throw new IllegalArgumentException("tenant " + tenant + " has no key " + key);
        }
    }

    /** The tenant's current webhook signing secret, created on first use and kept afterwards. */
    public SigningSecret signingSecret(TenantId tenant) {
        return secrets.find(tenant).map(ActiveSigningSecrets::current).orElseGet(() -> {
            SigningSecret secret = SigningSecret.generate(random);
            secrets.store(tenant, secret);
            return secret;
        });
    }

    /** A signing secret with the value given, if the tenant has none yet; for the local cloud's demo tenants. */
    public SigningSecret signingSecret(TenantId tenant, SigningSecret initial) {
        return secrets.find(tenant).map(ActiveSigningSecrets::current).orElseGet(() -> {
            secrets.store(tenant, initial);
            return initial;
        });
    }

    /** Every secret the tenant's events are signed with now. */
    public ActiveSigningSecrets signingSecrets(TenantId tenant) {
        return secrets.find(tenant).orElseGet(() -> ActiveSigningSecrets.of(signingSecret(tenant)));
    }

    /**
     * Starts a rotation: a new secret signs every event beside the current one until
     * {@link #finishSigningSecretRotation} makes it the only one. Refused while a rotation is in
     * progress, since replacing a next secret a receiver may already use would fail its events.
     *
     * @return the new secret, to be handed to the tenant
     */
    public SigningSecret rotateSigningSecret(TenantId tenant) {
        ActiveSigningSecrets active = signingSecrets(tenant);
        if (active.rotating()) {
            throw new IllegalStateException("a rotation of " + tenant + "'s signing secret is in progress; finish or "
                    + "cancel it first");
        }
        SigningSecret next = SigningSecret.generate(random);
        secrets.beginRotation(tenant, next);
        return next;
    }

    /** Ends a rotation: the new secret signs alone from now on. */
    public void finishSigningSecretRotation(TenantId tenant) {
        if (!secrets.finishRotation(tenant)) {
            throw new IllegalStateException("no rotation of " + tenant + "'s signing secret is in progress");
        }
    }

    /** Abandons a rotation: the current secret signs alone again, the new one is dropped. */
    public void cancelSigningSecretRotation(TenantId tenant) {
        if (!secrets.cancelRotation(tenant)) {
            throw new IllegalStateException("no rotation of " + tenant + "'s signing secret is in progress");
        }
    }

    /** A key as issued: the only moment its value is known outside the tenant. */
    public record IssuedKey(KeyId keyId, TenantId tenantId, String value) {
        @Override
        public String toString() {
            return "IssuedKey[" + keyId + " of " + tenantId + "]";
        }
    }
}
