package run.creativeai.gateway.job;

import java.util.EnumSet;
import java.util.Set;

/**
 * When a job's end has been carried out, so that the reconciler need not watch it any more. Whoever
 * ends a job gives its slots back, or sends the message that gives them back, before it announces
 * the end: the dispatcher, a cancel and the reconciler all keep that order. So once the first attempt
 * of an ended job's terminal event is recorded, its slots are free or on their way back, and what is
 * left for it (later attempts, the cancel at the provider) travels on messages that SQS redelivers;
 * a job whose webhook does not hear its end (none, or one subscribed to its start alone) is settled
 * as soon as its end is announced. A job's credits are settled before its end is announced, for the
 * same reason. Every event its webhook hears must have had an attempt too ({@link #unattempted}):
 * an announcement whose announcer died before queueing it is found by the reconciler only while the
 * job is watched.
 */
public final class Settlement {
    private Settlement() {
    }

    /**
     * True when writing this version of the job settles it: it records an attempt of the ended job's
     * terminal event, and every other event its webhook hears has an attempt as well.
     */
    public static boolean settledByWrite(Job written) {
        return JobEventId.endingAttempted(written) && unattempted(written).isEmpty();
    }

    /**
     * True when announcing this ended job's end settles it: no webhook hears its end, and its start, if
     * its webhook hears that, has an attempt already.
     */
    public static boolean settledByAnnouncement(Job ended) {
        return ended.status().isTerminal() && !endingHeard(ended) && unattempted(ended).isEmpty();
    }

    /** True when the job's webhook hears its end: it has one, subscribed to {@code completed}. */
    public static boolean endingHeard(Job job) {
        return hears(job, WebhookEventKind.COMPLETED);
    }

    /**
     * The events of the job that have happened (a provider accepted it; it ended), that its webhook
     * hears, and that no attempt of has been recorded: each was queued, unless its announcer died
     * first, which nothing but this tells. Announcing one again is safe: attempts of one event carry
     * its one id, on which the delivery ledger deduplicates.
     */
    public static Set<WebhookEventKind> unattempted(Job job) {
        Set<WebhookEventKind> owed = EnumSet.noneOf(WebhookEventKind.class);
        if (hears(job, WebhookEventKind.START) && job.acceptedAttempt().isPresent()
                && !JobEventId.attempted(job, JobEventId.started(job.id()))) {
            owed.add(WebhookEventKind.START);
        }
        if (job.status().isTerminal() && endingHeard(job) && !JobEventId.endingAttempted(job)) {
            owed.add(WebhookEventKind.COMPLETED);
        }
        return owed;
    }

    /**
     * True when the job's slots are certainly free: the dispatcher ended it (it succeeded or failed)
     * and its terminal event has been attempted since, which the dispatcher asks for only after
     * giving the slots back. A cancelled job is never certain here: its provider slot is given back by the
     * dispatcher's next look at it, which may still be to come.
     */
    public static boolean slotsGivenBack(Job job) {
        return (job.status() == JobStatus.SUCCEEDED || job.status() == JobStatus.FAILED)
                && JobEventId.endingAttempted(job);
    }

    private static boolean hears(Job job, WebhookEventKind event) {
        return job.request().webhookUrl().isPresent() && job.request().webhookEvents().contains(event);
    }
}
