package run.creativeai.gateway.limits;

import java.time.Duration;
import java.time.Instant;

/**
 * One limit: at most {@code limit} units per fixed window of {@code window}, aligned to the epoch so
 * every ingress instance agrees on where a window starts and ends.
 *
 * @param id   stable name used in headers, refusal bodies and counter keys, e.g. {@code plan_requests_per_minute}
 * @param unit what is counted, in the product's words ({@code requests}, {@code images})
 */
public record RateLimitRule(String id, String unit, long limit, Duration window) {

    public RateLimitRule {
        if (limit < 1) {
            throw new IllegalArgumentException(id + ": limit must be positive");
        }
        if (window.toSeconds() < 1) {
            throw new IllegalArgumentException(id + ": window must be at least a second");
        }
    }

    /** The index of the window containing {@code at}. */
    public long windowIndex(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), window.toSeconds());
    }

    /** The instant the window containing {@code at} ends and the count starts again. */
    public Instant windowEnd(Instant at) {
        return Instant.ofEpochSecond((windowIndex(at) + 1) * window.toSeconds());
    }
}
