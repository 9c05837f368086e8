package run.creativeai.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.JobStatus;

/**
 * The id of a job's event, derived from the job id and what happened (the terminal status, or its
 * start) and nothing else: every retry, redelivery and re-processing of the same event carries the
 * same id, which is what receivers and the delivery ledger deduplicate on.
 */
public final class EventId {
    private EventId() {
    }

    public static String of(JobId job, JobStatus terminal) {
        if (!terminal.isTerminal()) {
            throw new IllegalArgumentException("only terminal statuses have events: " + terminal);
        }
        return of(job, terminal.wireName());
    }

    /** The id of the event that says a provider accepted the job. */
    public static String started(JobId job) {
        return of(job, "started");
    }

    private static String of(JobId job, String what) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((job.value() + ":" + what).getBytes(StandardCharsets.UTF_8));
            return "evt_" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }
}
