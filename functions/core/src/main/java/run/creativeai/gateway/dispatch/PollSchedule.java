package run.creativeai.gateway.dispatch;

import java.time.Duration;
import run.creativeai.gateway.concurrency.AttemptTimeouts;
import run.creativeai.gateway.model.JobKind;

/**
 * When to look at a running provider attempt again, and when to give up on it. Images take about a
 * second and videos about 45 s (seed 000), so checks start at their scale and back off to a cap.
 */
public final class PollSchedule implements AttemptTimeouts {
    private final Duration imageTimeout;
    private final Duration videoTimeout;

    public PollSchedule(Duration imageTimeout, Duration videoTimeout) {
        this.imageTimeout = imageTimeout;
        this.videoTimeout = videoTimeout;
    }

    public static PollSchedule standard() {
        return new PollSchedule(Duration.ofMinutes(2), Duration.ofMinutes(10));
    }

    /** Delay before check number {@code check} (1-based) of an attempt. */
    public Duration delayBefore(JobKind kind, int check) {
        int exponent = Math.min(check - 1, 5);
        return switch (kind) {
            case IMAGE -> Duration.ofSeconds(Math.min(5, 1L << Math.max(0, exponent - 1)));
            case VIDEO -> Duration.ofSeconds(Math.min(30, 5L << exponent));
        };
    }

    /** How long one attempt may run before it counts as a provider timeout. */
    @Override
    public Duration attemptTimeout(JobKind kind) {
        return kind == JobKind.IMAGE ? imageTimeout : videoTimeout;
    }
}
