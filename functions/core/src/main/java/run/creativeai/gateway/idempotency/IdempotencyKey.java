package run.creativeai.gateway.idempotency;

import java.util.Objects;
import run.creativeai.gateway.tenant.TenantId;

/**
 * A client's {@code Idempotency-Key}, scoped to its tenant: two tenants using the same key value
 * hold two different keys, and one tenant can never replay or block another's request.
 */
public record IdempotencyKey(TenantId tenant, String value) {
    public static final int MAX_LENGTH = 255;

    public IdempotencyKey {
        Objects.requireNonNull(tenant, "tenant");
        if (!isWellFormed(value)) {
            throw new IllegalArgumentException("not an idempotency key");
        }
    }

    /** 1 to 255 visible ASCII characters (a UUID, a ULID, a hash...). */
    public static boolean isWellFormed(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        return value.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }
}
