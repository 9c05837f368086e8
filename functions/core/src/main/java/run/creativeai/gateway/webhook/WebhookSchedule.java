package run.creativeai.gateway.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * When each delivery attempt of a job's event happens (seed 000): at 0 s, 5 s and 30 s after the
 * job ended, each given 10 s to answer. The offsets are from the job's end, not from the previous
 * attempt, so a slow endpoint does not push the schedule back.
 */
public final class WebhookSchedule {
    private final List<Duration> offsets;
    private final Duration attemptTimeout;

    public WebhookSchedule(List<Duration> offsets, Duration attemptTimeout) {
        if (offsets.isEmpty() || !offsets.get(0).isZero()) {
            throw new IllegalArgumentException("the first attempt is immediate");
        }
        this.offsets = List.copyOf(offsets);
        this.attemptTimeout = attemptTimeout;
    }

    public static WebhookSchedule standard() {
        return new WebhookSchedule(List.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofSeconds(30)),
                Duration.ofSeconds(10));
    }

    public int attempts() {
        return offsets.size();
    }

    public boolean hasAttempt(int attempt) {
        return attempt >= 1 && attempt <= offsets.size();
    }

    /** How long to wait, from {@code now}, before attempt {@code attempt} of an event whose job ended at {@code ended}. */
    public Duration delayBefore(int attempt, Instant ended, Instant now) {
        Duration due = offsets.get(attempt - 1).minus(Duration.between(ended, now));
        return due.isNegative() ? Duration.ZERO : due;
    }

    public Duration attemptTimeout() {
        return attemptTimeout;
    }
}
