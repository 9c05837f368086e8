package run.creativeai.gateway.limits;

import java.util.Objects;

/**
 * What one request costs against one rule.
 *
 * @param owner whose count it is: the key id for a {@link RateLimitRule.CountedPer#KEY} rule, the tenant
 *              id for a tenant rule. The rule id and the owner name one counter.
 * @param cost  units this request uses (1 request, or {@code n} images)
 */
public record LimitCharge(RateLimitRule rule, String owner, long cost) {
    public LimitCharge {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(owner, "owner");
        if (cost < 1) {
            throw new IllegalArgumentException("cost must be positive");
        }
        if (cost > rule.limit()) {
            // Would never pass; callers refuse it as invalid input before it reaches a counter.
            throw new IllegalArgumentException(rule.id() + ": cost " + cost + " exceeds the limit " + rule.limit());
        }
    }

    /** The counters of one owner live together: {@code key#<key id>} or {@code tenant#<tenant id>}. */
    public String counterGroup() {
        return rule.per().wireName() + "#" + owner;
    }
}
