package run.creativeai.gateway.adapters.sqs;

import java.time.Duration;
import run.creativeai.gateway.dispatch.DispatchMessages;
import run.creativeai.gateway.dispatch.ProgressCheck;
import run.creativeai.gateway.dispatch.ProgressQueue;
import run.creativeai.gateway.dispatch.Resumptions;
import run.creativeai.gateway.job.JobId;

/** Progress checks as delayed SQS messages, and the reconciler's resumptions on the same queue. */
public final class SqsProgressQueue implements ProgressQueue, Resumptions {
    private final SqsQueue queue;

    public SqsProgressQueue(SqsQueue queue) {
        this.queue = queue;
    }

    @Override
    public void schedule(ProgressCheck check, Duration delay) {
        queue.send(DispatchMessages.progress(check), delay);
    }

    @Override
    public void resume(JobId job) {
        queue.send(DispatchMessages.resume(job), Duration.ZERO);
    }
}
