package run.creativeai.gateway.dispatch;

import run.creativeai.gateway.job.JobId;

/**
 * A scheduled look at a running provider attempt.
 *
 * @param attempt the attempt it is about; a check for an attempt that has ended is stale and ignored
 * @param check   1 for the first check of that attempt, then 2, 3, ...: drives the back-off
 */
public record ProgressCheck(JobId jobId, int attempt, int check) {
}
