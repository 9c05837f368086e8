package run.creativeai.gateway.reconcile;

import java.time.Instant;
import java.util.stream.Stream;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.ProviderAttempt;
import run.creativeai.gateway.job.WebhookAttempt;
import run.creativeai.gateway.job.WebhookEventKind;
import run.creativeai.gateway.webhook.EventId;

/**
 * What the reconciler watches. A job with a step left is one that has not ended, or has ended with a
 * webhook subscribed to its end that no delivery attempt of that event has been made for yet (its announcement may have been lost). An
 * ended job may also still hold its tenant's concurrency slot, when its worker died between storing
 * the end and giving the slot back; the job cannot tell. So the job store indexes every job by when
 * it last moved, from its first write until the reconciler has seen it ended and settled (its slots
 * given back, {@link UnsettledJobs#settled}); a later write puts it back until the next look.
 */
public final class Unsettled {
    private Unsettled() {
    }

    /** True while the job has a step left to take (beyond giving its slots back). */
    public static boolean hasStepLeft(Job job) {
        if (!job.status().isTerminal()) {
            return true;
        }
        String ending = EventId.of(job.id(), job.status());
        return job.request().webhookUrl().isPresent() && job.request().webhookEvents().contains(WebhookEventKind.COMPLETED)
                && job.webhookAttempts().stream().noneMatch(a -> a.eventId().equals(ending));
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
