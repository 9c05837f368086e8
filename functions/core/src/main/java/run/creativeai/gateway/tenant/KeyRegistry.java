package run.creativeai.gateway.tenant;

import java.util.List;

/** Writes and lists key records; used by tenant administration, never by the request path. */
public interface KeyRegistry {
    void put(ApiKeyRecord record);

    /** Every key of {@code tenant}, revoked ones included; hashes only, never a key. */
    List<ApiKeyRecord> keysOf(TenantId tenant);

    /** Marks the key revoked; false when {@code tenant} has no key with that id. */
    boolean revoke(TenantId tenant, KeyId key);

    /**
     * Copies the tenant's terms onto every one of its keys that holds an older version of them, so the
     * next request with any of its keys is decided under them (a creation within {@code Authenticator#RECENT}).
     */
    void copyTerms(TenantId tenant, TenantTerms terms);

    /** Sets or removes the key's daily budget of credits; false when {@code tenant} has no key with that id. */
    boolean setBudget(TenantId tenant, KeyId key, java.util.Optional<Long> maxCreditsPerDay);
}
