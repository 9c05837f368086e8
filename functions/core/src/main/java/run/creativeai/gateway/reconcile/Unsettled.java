package run.creativeai.gateway.reconcile;

import java.time.Instant;
import java.util.stream.Stream;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.ProviderAttempt;
import run.creativeai.gateway.job.Settlement;
import run.creativeai.gateway.job.WebhookAttempt;

/**
 * What the reconciler watches. A job with a step left is one that has not ended, or has ended with an
 * event its webhook hears (its end, or its start) that no attempt has been made of yet (its
 * announcement may have been lost, {@link Settlement#unattempted}). An
 * ended job may also still hold its tenant's concurrency slot, when its worker died between storing
 * the end and giving the slot back; the job cannot tell. So the job store indexes every job from its
 * admission until its end has been carried out ({@link run.creativeai.gateway.job.Settlement}: where
 * that happens, the job leaves the index), or until the reconciler has seen it ended and settled.
 */
public final class Unsettled {
    private Unsettled() {
    }

    /** True while the job has a step left to take (beyond giving its slots back). */
    public static boolean hasStepLeft(Job job) {
        if (!job.status().isTerminal()) {
            return true;
        }
        return !Settlement.unattempted(job).isEmpty();
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
