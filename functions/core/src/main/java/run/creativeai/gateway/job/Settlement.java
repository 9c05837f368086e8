package run.creativeai.gateway.job;

/**
 * When a job's end has been carried out, so that the reconciler need not watch it any more. Whoever
 * ends a job gives its slots back, or sends the message that gives them back, before it announces
 * the end: the dispatcher, a cancel and the reconciler all keep that order. So once an ended job's
 * first webhook attempt is recorded, its slots are free or on their way back, and what is left for
 * it (later attempts, the cancel at the provider) travels on messages that SQS redelivers; a job
 * without a webhook is settled as soon as its end is announced. A job's credits are settled before its
 * end is announced, for the same reason.
 */
public final class Settlement {
    private Settlement() {
    }

    /** True when writing this version of the job settles it: the write records a webhook attempt of the ended job. */
    public static boolean settledByWrite(Job written) {
        return written.status().isTerminal() && !written.webhookAttempts().isEmpty();
    }

    /** True when announcing this ended job's end settles it: it has no webhook to deliver. */
    public static boolean settledByAnnouncement(Job ended) {
        return ended.status().isTerminal() && ended.request().webhookUrl().isEmpty();
    }

    /**
     * True when the job's slots are certainly free: the dispatcher ended it (it succeeded or failed)
     * and its webhook has been attempted since, which the dispatcher asks for only after giving the
     * slots back. A cancelled job is never certain here: its provider slot is given back by the
     * dispatcher's next look at it, which may still be to come.
     */
    public static boolean slotsGivenBack(Job job) {
        return (job.status() == JobStatus.SUCCEEDED || job.status() == JobStatus.FAILED)
                && !job.webhookAttempts().isEmpty();
    }
}
