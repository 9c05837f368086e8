package run.creativeai.gateway.adapters.sqs;

import java.time.Duration;
import run.creativeai.gateway.dispatch.CancelQueue;
import run.creativeai.gateway.dispatch.DispatchMessages;
import run.creativeai.gateway.dispatch.ProgressCheck;
import run.creativeai.gateway.dispatch.ProgressQueue;
import run.creativeai.gateway.job.JobId;

/** Progress checks as delayed SQS messages, and cancellations for the dispatcher to carry out, on one queue. */
public final class SqsProgressQueue implements ProgressQueue, CancelQueue {
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
}
