package run.creativeai.gateway.workflow;

import java.time.Duration;
import run.creativeai.gateway.job.WorkflowId;

/** Messages that have a workflow moved on ({@link WorkflowRunner#advance}), at once or after a delay. */
@FunctionalInterface
public interface WorkflowQueue {
    void advance(WorkflowId workflow, Duration delay);
}
