package run.creativeai.gateway.workflow;

import java.time.Duration;
import java.time.Instant;

/**
 * Its tenant's workflow slots: a workflow runs only while it holds one, and the others wait queued.
 * Taking is idempotent per workflow, and so is giving back.
 */
public interface WorkflowSlots {
    /** True when the workflow holds a slot now (it may have held it already). */
    boolean take(Workflow workflow, Instant now);

    void release(Workflow workflow);

    /** How long a workflow that found no slot waits before it looks again. */
    Duration retryDelay();

    /** No limit on workflows at once. */
    static WorkflowSlots unlimited() {
        return new WorkflowSlots() {
            @Override
            public boolean take(Workflow workflow, Instant now) {
                return true;
            }

            @Override
            public void release(Workflow workflow) {
            }

            @Override
            public Duration retryDelay() {
                return Duration.ofSeconds(5);
            }
        };
    }
}
