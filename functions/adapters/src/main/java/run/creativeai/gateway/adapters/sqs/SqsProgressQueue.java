package run.creativeai.gateway.adapters.sqs;

import java.time.Duration;
import run.creativeai.gateway.dispatch.DispatchMessages;
import run.creativeai.gateway.dispatch.ProgressCheck;
import run.creativeai.gateway.dispatch.ProgressQueue;

/** Progress checks as delayed SQS messages. */
public final class SqsProgressQueue implements ProgressQueue {
    private final SqsQueue queue;

    public SqsProgressQueue(SqsQueue queue) {
        this.queue = queue;
    }

    @Override
    public void schedule(ProgressCheck check, Duration delay) {
        queue.send(DispatchMessages.progress(check), delay);
    }
}
