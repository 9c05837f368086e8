package run.creativeai.gateway.limits;

import java.time.Duration;
import java.time.Instant;

/**
 * Where a caller stands on one rule after a decision: what the rate-limit headers and bodies report.
 *
 * @param used    units counted in the window that applies at the decision's instant
 * @param resetAt for a fixed window its end; for a rolling window the moment the oldest counted unit
 *                leaves it (for the rule that refused a request: the moment that request would pass)
 */
public record LimitState(RateLimitRule rule, long used, Instant resetAt) {

    public long limit() {
        return rule.limit();
    }

    public long remaining() {
        return Math.max(0, rule.limit() - used);
    }

    /** Whole seconds until the window resets, rounded up so a client that waits this long is admitted. */
    public long secondsUntilReset(Instant now) {
        long millis = Duration.between(now, resetAt).toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }
}
