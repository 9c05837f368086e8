package run.creativeai.gateway.tenant;

/**
 * What the key table holds for one key: never the key, only its keyed hash. The tenant's plan and
 * standing are copied onto each of its keys so that authentication is one read; the tenant
 * administration writes the copies whenever the tenant changes.
 */
public record ApiKeyRecord(
        String keyHash, KeyId keyId, TenantId tenantId, String plan, TenantStanding standing, boolean revoked) {
}
