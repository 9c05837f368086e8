package run.creativeai.gateway.webhook;

import java.time.Duration;
import java.util.List;

/**
 * When each delivery attempt of an event happens (seed 000, "0 s, 5 s, 30 s"): the first at once,
 * then each retry a fixed gap after the previous attempt failed, 5 s then 30 s, each attempt given
 * 10 s to answer. Gaps count from the failure, as webhook senders count them ("each period is
 * started following the failure of the preceding attempt"): counted from the job's end instead, an
 * attempt that used its whole 10 s would leave the next one no gap at all.
 */
public final class WebhookSchedule {
    private final List<Duration> gaps;
    private final Duration attemptTimeout;

    /** @param gaps the wait after each failed attempt before the next; one attempt more than there are gaps */
    public WebhookSchedule(List<Duration> gaps, Duration attemptTimeout) {
        if (gaps.stream().anyMatch(Duration::isNegative)) {
            throw new IllegalArgumentException("a retry cannot come before the failure it follows");
        }
        this.gaps = List.copyOf(gaps);
        this.attemptTimeout = attemptTimeout;
    }

    public static WebhookSchedule standard() {
        return new WebhookSchedule(List.of(Duration.ofSeconds(5), Duration.ofSeconds(30)), Duration.ofSeconds(10));
    }

    public int attempts() {
        return gaps.size() + 1;
    }

    public boolean hasAttempt(int attempt) {
        return attempt >= 1 && attempt <= attempts();
    }

    /**
     * How long after attempt {@code failed} failed attempt {@code failed + 1} is made; the queue's
     * delay, given as the failure is recorded, is what makes the wait.
     */
    public Duration gapAfterFailure(int failed) {
        if (!hasAttempt(failed + 1)) {
            throw new IllegalArgumentException("attempt " + failed + " is the last; no attempt follows it");
        }
        return gaps.get(failed - 1);
    }

    public Duration attemptTimeout() {
        return attemptTimeout;
    }
}
