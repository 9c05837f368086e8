package run.creativeai.gateway.adapters.sqs;

import java.time.Duration;
import run.creativeai.gateway.dispatch.CancelQueue;
import run.creativeai.gateway.dispatch.DeadlineTimer;
import run.creativeai.gateway.dispatch.DispatchMessages;
import run.creativeai.gateway.dispatch.ProgressCheck;
import run.creativeai.gateway.dispatch.ProgressQueue;
import run.creativeai.gateway.dispatch.Resumptions;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.WorkflowId;
import run.creativeai.gateway.workflow.WorkflowQueue;

/**
 * The dispatcher's own queue: delayed progress checks, cancellations for the dispatcher to carry
 * out, the reconciler's resumptions, workflows to move on, and deadline timers (each delayed at most
 * the queue's 15 minutes).
 */
public final class SqsProgressQueue implements ProgressQueue, CancelQueue, Resumptions, WorkflowQueue, DeadlineTimer {
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
    public void advance(WorkflowId workflow, Duration delay) {
        queue.send(DispatchMessages.advance(workflow), delay);
    }

    @Override
    public void resume(JobId job) {
        queue.send(DispatchMessages.resume(job), Duration.ZERO);
    }

    @Override
    public void schedule(JobId job, Duration delay) {
        queue.send(DispatchMessages.deadline(job), delay);
    }
}
