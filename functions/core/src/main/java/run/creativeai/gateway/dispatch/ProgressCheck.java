package run.creativeai.gateway.dispatch;

import run.creativeai.gateway.job.JobId;

/**
 * A look at a running provider attempt: scheduled, or prompted by the provider announcing the end.
 *
 * @param attempt the attempt it is about; a check for an attempt that has ended is stale and ignored
 * @param check   1 for the first scheduled check of that attempt, then 2, 3, ... (drives the
 *                back-off); {@value #ANNOUNCED} for a check the provider's callback prompted, which
 *                never schedules another, since the scheduled ones carry on regardless
 */
public record ProgressCheck(JobId jobId, int attempt, int check) {
    public static final int ANNOUNCED = 0;

    public ProgressCheck {
        if (attempt < 1 || check < ANNOUNCED) {
            throw new IllegalArgumentException("invalid progress check " + attempt + "/" + check);
        }
    }

    public static ProgressCheck announced(JobId job, int attempt) {
        return new ProgressCheck(job, attempt, ANNOUNCED);
    }

    public boolean isAnnounced() {
        return check == ANNOUNCED;
    }
}
