package run.creativeai.gateway.dispatch;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import run.creativeai.gateway.concurrency.AttemptTimeouts;
import run.creativeai.gateway.model.JobKind;

/**
 * When to look at a running provider attempt again, and when to give up on it. Images take about a
 * second and videos about 45 s (seed 000), so checks start at their scale and back off to a cap.
 * Once the provider has finished, a copy of its outputs that failed is tried again after a back-off,
 * {@link #COPY_TRIES} times in all.
 */
public final class PollSchedule implements AttemptTimeouts {
    /** Waits before the second, third, ... try of a copy that failed: about three minutes in all. */
    private static final List<Duration> COPY_BACKOFF = List.of(Duration.ofSeconds(2), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(120));
    /** Tries of copying an attempt's outputs, the first included. */
    public static final int COPY_TRIES = COPY_BACKOFF.size() + 1;

    private final Duration imageTimeout;
    private final Duration videoTimeout;
    private final Duration trainingTimeout;

    /** A LoRA training runs for minutes to tens of minutes at either trainer: an hour before it counts as lost. */
    public static final Duration TRAINING_TIMEOUT = Duration.ofHours(1);

    public PollSchedule(Duration imageTimeout, Duration videoTimeout) {
        this(imageTimeout, videoTimeout, TRAINING_TIMEOUT);
    }

    public PollSchedule(Duration imageTimeout, Duration videoTimeout, Duration trainingTimeout) {
        this.imageTimeout = imageTimeout;
        this.videoTimeout = videoTimeout;
        this.trainingTimeout = trainingTimeout;
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
            // Trainings take minutes: checked at video's pace, backing off to a minute (callbacks usually end them first).
            case TRAINING -> Duration.ofSeconds(Math.min(60, 5L << exponent));
        };
    }

    /** The wait before the next try of a copy that has failed {@code failures} times; empty once the tries are spent. */
    public Optional<Duration> copyRetryDelay(int failures) {
        return failures >= 1 && failures <= COPY_BACKOFF.size() ? Optional.of(COPY_BACKOFF.get(failures - 1))
                : Optional.empty();
    }

    /** How long one attempt may run before it counts as a provider timeout. */
    @Override
    public Duration attemptTimeout(JobKind kind) {
        return switch (kind) {
            case IMAGE -> imageTimeout;
            case VIDEO -> videoTimeout;
            case TRAINING -> trainingTimeout;
        };
    }
}
