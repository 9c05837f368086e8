package run.creativeai.gateway.dispatch;

import run.creativeai.gateway.job.JobId;

/**
 * Tells the dispatcher that a customer cancelled a running job, so it stops the work at the
 * provider and frees the job's slots: the ingress, which takes the cancel, holds no provider
 * credentials. The message travels on the progress queue.
 */
@FunctionalInterface
public interface CancelQueue {
    void canceled(JobId job);
}
