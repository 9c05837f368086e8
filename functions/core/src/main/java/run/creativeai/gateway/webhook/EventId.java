package run.creativeai.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.JobStatus;

/**
 * The id of a job's terminal event, derived from the job id and the terminal status and nothing
 * else: every retry, redelivery and re-processing of the same ending carries the same id, which is
 * what receivers and the delivery ledger deduplicate on.
 */
public final class EventId {
    private EventId() {
    }

    public static String of(JobId job, JobStatus terminal) {
        if (!terminal.isTerminal()) {
            throw new IllegalArgumentException("only terminal statuses have events: " + terminal);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((job.value() + ":" + terminal.wireName()).getBytes(StandardCharsets.UTF_8));
            return "evt_" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }
}
