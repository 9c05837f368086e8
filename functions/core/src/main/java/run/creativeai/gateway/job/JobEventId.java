package run.creativeai.gateway.job;

import run.creativeai.gateway.config.IdSource;

/**
 * The ids of a job's webhook events, derived from the job id and what happened (the status it ended
 * in, or its start) and nothing else. Here, beside the job, because when a job is settled depends on
 * which of its events an attempt was of; {@code webhook.EventId} gives them to the webhook code.
 */
public final class JobEventId {
    private JobEventId() {
    }

    /** The id of the event that announces the job's end in {@code terminal}. */
    public static String ending(JobId job, JobStatus terminal) {
        if (!terminal.isTerminal()) {
            throw new IllegalArgumentException("only terminal statuses have events: " + terminal);
        }
        return of(job, terminal.wireName());
    }

    /** The id of the event that says a provider accepted the job. */
    public static String started(JobId job) {
        return of(job, "started");
    }

    /** True when an attempt of the ended job's terminal event has been recorded on it. */
    public static boolean endingAttempted(Job job) {
        if (!job.status().isTerminal()) {
            return false;
        }
        return attempted(job, ending(job.id(), job.status()));
    }

    /** True when an attempt of the job's event {@code eventId} has been recorded on it. */
    public static boolean attempted(Job job, String eventId) {
        return job.webhookAttempts().stream().anyMatch(a -> a.eventId().equals(eventId));
    }

    private static String of(JobId job, String what) {
        return "evt_" + IdSource.sha256Hex(job.value() + ":" + what, 32);
    }
}
