package run.creativeai.gateway.tenant;

import java.util.Objects;
import java.util.Optional;

/**
 * What the key table holds for one key: never the key, only its keyed hash. The tenant's plan,
 * standing and terms are copied onto each of its keys so that authentication is one read; the
 * tenant administration writes the copies whenever the tenant changes.
 *
 * @param terms            the tenant's custom limits and dedicated slots, as last copied onto this key
 * @param maxCreditsPerDay this key's own daily budget of credits, if it has one
 */
public record ApiKeyRecord(String keyHash, KeyId keyId, TenantId tenantId, String plan, TenantStanding standing,
        boolean revoked, TenantTerms terms, Optional<Long> maxCreditsPerDay) {

    public ApiKeyRecord {
        Objects.requireNonNull(terms, "terms");
        Objects.requireNonNull(maxCreditsPerDay, "maxCreditsPerDay");
    }

    /** A key of a tenant on its plan's own terms, without a budget. */
    public ApiKeyRecord(String keyHash, KeyId keyId, TenantId tenantId, String plan, TenantStanding standing,
            boolean revoked) {
        this(keyHash, keyId, tenantId, plan, standing, revoked, TenantTerms.none(), Optional.empty());
    }
}
