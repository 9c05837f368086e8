package run.creativeai.gateway.webhook;

import run.creativeai.gateway.config.IdSource;
import run.creativeai.gateway.job.JobEventId;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.JobStatus;

/**
 * The id of a webhook event, derived from what it announces and nothing else: a job's terminal
 * event from the job id and the terminal status, its start event from the job id, a notice's from
 * the subscription and the notice event. Every retry, redelivery and re-processing of the same event
 * carries the same id, which is what receivers and the delivery ledger deduplicate on.
 */
public final class EventId {
    private EventId() {
    }

    public static String of(JobId job, JobStatus terminal) {
        return JobEventId.ending(job, terminal);
    }

    /** The id of the event that says a provider accepted the job. */
    public static String started(JobId job) {
        return JobEventId.started(job);
    }

    /** The event of notice event {@code noticeEventId} as subscription {@code subscriptionId} receives it. */
    public static String ofNotice(String subscriptionId, String noticeEventId) {
        return "evt_" + digest(subscriptionId + ":" + noticeEventId);
    }

    /** 32 hex digits of the SHA-256 of {@code text}. */
    static String digest(String text) {
        return IdSource.sha256Hex(text, 32);
    }
}
