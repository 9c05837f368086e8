package run.creativeai.gateway.job;

/**
 * When a job's end has been carried out, so that the reconciler need not watch it any more. Whoever
 * ends a job gives its slots back, or sends the message that gives them back, before it announces
 * the end: the dispatcher, a cancel and the reconciler all keep that order. So once the first attempt
 * of an ended job's terminal event is recorded, its slots are free or on their way back, and what is
 * left for it (later attempts, the cancel at the provider) travels on messages that SQS redelivers;
 * a job whose webhook does not hear its end (none, or one subscribed to its start alone) is settled
 * as soon as its end is announced. An attempt of its start event says nothing of its end, whenever
 * it is recorded. A job's credits are settled before its end is announced, for the same reason.
 */
public final class Settlement {
    private Settlement() {
    }

    /** True when writing this version of the job settles it: it records an attempt of the ended job's terminal event. */
    public static boolean settledByWrite(Job written) {
        return JobEventId.endingAttempted(written);
    }

    /** True when announcing this ended job's end settles it: no webhook hears its end. */
    public static boolean settledByAnnouncement(Job ended) {
        return ended.status().isTerminal() && !endingHeard(ended);
    }

    /** True when the job's webhook hears its end: it has one, subscribed to {@code completed}. */
    public static boolean endingHeard(Job job) {
        return job.request().webhookUrl().isPresent()
                && job.request().webhookEvents().contains(WebhookEventKind.COMPLETED);
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
}
