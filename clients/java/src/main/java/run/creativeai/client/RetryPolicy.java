package run.creativeai.client;

import java.time.Duration;
import java.util.Optional;

/**
 * When the client sends a request again by itself: on 429, 503 and 504, on a 409 saying the same
 * {@code Idempotency-Key} is still being processed, and when no answer came (a create is safe to send
 * again: it carries the same key). As seeds 001 and 002 advise: wait what {@code Retry-After} says
 * (never less), plus a little jitter so clients refused in the same window do not all come back at the
 * same instant; without it, back off exponentially with jitter, capped. A {@code Retry-After} longer
 * than {@link #maxRetryAfter} is not waited for: the caller gets the refusal at once, with its
 * {@code Retry-After}, and decides.
 *
 * @param maxAttempts     attempts in all, the first included (1: never retry)
 * @param initialBackoff  the backoff before the second attempt when the answer gave no {@code Retry-After}
 * @param maxBackoff      the cap of that backoff
 * @param maxRetryAfter   the longest {@code Retry-After} waited for
 * @param jitter          the share of a wait added at random on top of {@code Retry-After} (at least
 *                        {@link #MIN_JITTER} of room), and the random share of a backoff
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter,
        double jitter) {
    /** Room for jitter on top of a short {@code Retry-After}, so even {@code Retry-After: 1} spreads clients. */
    public static final Duration MIN_JITTER = Duration.ofMillis(250);
    /** Four attempts, 0.5 s doubling to 8 s, {@code Retry-After} honoured up to 60 s (a fixed minute window), 10 % jitter. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(8),
            Duration.ofSeconds(60), 0.1);
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts is at least 1 (the first attempt), not " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0 || maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("backoffs are non-negative and maxBackoff is at least initialBackoff");
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter is a share from 0 to 1, not " + jitter);
        }
    }

    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(attempts, initialBackoff, maxBackoff, maxRetryAfter, jitter);
    }

    public RetryPolicy withMaxRetryAfter(Duration longest) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, longest, jitter);
    }

    /**
     * How long to wait before attempt {@code next} (2 for the first retry), or empty when it is not to
     * be made: no attempts left, or a {@code Retry-After} beyond {@link #maxRetryAfter}.
     *
     * @param random a number in [0, 1) from the client's random source
     */
    public Optional<Duration> delayBefore(int next, Optional<Duration> retryAfter, double random) {
        if (next > maxAttempts) {
            return Optional.empty();
        }
        if (retryAfter.isPresent()) {
            Duration asked = retryAfter.get();
            if (asked.compareTo(maxRetryAfter) > 0) {
                return Optional.empty();
            }
            long room = Math.max(MIN_JITTER.toNanos(), (long) (asked.toNanos() * jitter));
            return Optional.of(asked.plusNanos((long) (room * random)));
        }
        // Exponential, capped, and the top `jitter` share at random: never zero, never above the cap.
        double exponential = initialBackoff.toNanos() * Math.pow(2, next - 2);
        long capped = (long) Math.min(maxBackoff.toNanos(), exponential);
        long spread = (long) (capped * jitter);
        return Optional.of(Duration.ofNanos(capped - spread + (long) (spread * random)));
    }
}
