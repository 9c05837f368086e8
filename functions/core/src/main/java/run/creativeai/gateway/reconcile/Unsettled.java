package run.creativeai.gateway.reconcile;

import java.time.Instant;
import java.util.stream.Stream;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.ProviderAttempt;
import run.creativeai.gateway.job.WebhookAttempt;

/**
 * What the reconciler watches: a job that still has a step to take. That is every job that has not
 * ended, and an ended job with a webhook that no delivery attempt has been made for yet (its
 * announcement may have been lost). The job store indexes exactly these jobs by when they last
 * moved, so finding the stuck ones reads only them.
 */
public final class Unsettled {
    private Unsettled() {
    }

    public static boolean isUnsettled(Job job) {
        if (!job.status().isTerminal()) {
            return true;
        }
        return job.request().webhookUrl().isPresent() && job.webhookAttempts().isEmpty();
    }

    /** The last time any step of the job was written: admission, an attempt's start or end, the end, a delivery. */
    public static Instant lastMoved(Job job) {
        return Stream.of(
                        Stream.of(job.timings().createdAt()),
                        job.timings().startedAt().stream(),
                        job.timings().finishedAt().stream(),
                        job.attempts().stream().map(ProviderAttempt::startedAt),
                        job.attempts().stream().flatMap(a -> a.endedAt().stream()),
                        job.webhookAttempts().stream().map(WebhookAttempt::at))
                .flatMap(s -> s)
                .max(Instant::compareTo)
                .orElseThrow();
    }
}
