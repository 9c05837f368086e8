package run.creativeai.gateway.limits;

/**
 * What one request costs against one rule.
 *
 * @param scope whose count it is, e.g. {@code key_01h...}: the rule id and the scope name one counter
 * @param cost  units this request uses (1 request, or {@code n} images)
 */
public record LimitCharge(RateLimitRule rule, String scope, long cost) {
    public LimitCharge {
        if (cost < 1) {
            throw new IllegalArgumentException("cost must be positive");
        }
        if (cost > rule.limit()) {
            // Would never pass; callers refuse it as invalid input before it reaches a counter.
            throw new IllegalArgumentException(rule.id() + ": cost " + cost + " exceeds the limit " + rule.limit());
        }
    }
}
