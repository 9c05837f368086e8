package run.creativeai.gateway.dispatch;

import run.creativeai.gateway.job.JobId;

/**
 * A look at a running provider attempt: scheduled, or prompted by the provider announcing the end.
 *
 * @param attempt      the attempt it is about; a check for an attempt that has ended is stale and ignored
 * @param check        1 for the first scheduled check of that attempt, then 2, 3, ... (drives the
 *                     back-off); {@value #ANNOUNCED} for a check the provider's callback prompted, which
 *                     never schedules another, since the scheduled ones carry on regardless
 * @param copyFailures how many times copying the attempt's finished outputs into the bucket failed
 *                     before this check (drives the copy's back-off and its bound)
 */
public record ProgressCheck(JobId jobId, int attempt, int check, int copyFailures) {
    public static final int ANNOUNCED = 0;

    public ProgressCheck {
        if (attempt < 1 || check < ANNOUNCED || copyFailures < 0) {
            throw new IllegalArgumentException("invalid progress check " + attempt + "/" + check + "/" + copyFailures);
        }
    }

    public ProgressCheck(JobId jobId, int attempt, int check) {
        this(jobId, attempt, check, 0);
    }

    public static ProgressCheck announced(JobId job, int attempt) {
        return new ProgressCheck(job, attempt, ANNOUNCED);
    }

    public boolean isAnnounced() {
        return check == ANNOUNCED;
    }

    /** The scheduled check that tries the copy again after this one's copy failed. */
    public ProgressCheck afterCopyFailure() {
        return new ProgressCheck(jobId, attempt, check + 1, copyFailures + 1);
    }
}
