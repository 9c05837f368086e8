package run.creativeai.gateway.adapters.sqs;

import java.time.Duration;
import run.creativeai.gateway.dispatch.CancelQueue;
import run.creativeai.gateway.dispatch.DispatchMessages;
import run.creativeai.gateway.dispatch.ProgressCheck;
import run.creativeai.gateway.dispatch.ProgressQueue;
import run.creativeai.gateway.dispatch.Resumptions;
import run.creativeai.gateway.job.JobId;

/**
 * The dispatcher's own queue: delayed progress checks, cancellations for the dispatcher to carry
 * out, and the reconciler's resumptions.
 */
public final class SqsProgressQueue implements ProgressQueue, CancelQueue, Resumptions {
    private final SqsQueue queue;

    public SqsProgressQueue(SqsQueue queue) {
        this.queue = queue;
    }

    @Override
    public void schedule(ProgressCheck check, Duration delay) {
        queue.send(DispatchMessages.progress(check), delay);
    }

    @Override
    public void canceled(JobId job) {
        queue.send(DispatchMessages.canceled(job), Duration.ZERO);
    }

    @Override
    public void resume(JobId job) {
        queue.send(DispatchMessages.resume(job), Duration.ZERO);
    }
}
