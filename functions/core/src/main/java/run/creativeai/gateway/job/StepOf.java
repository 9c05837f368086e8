package run.creativeai.gateway.job;

import java.util.Objects;

/**
 * The workflow step a job was admitted for: when the job ends, its workflow is moved on (its
 * dependents started, or the workflow ended).
 */
public record StepOf(WorkflowId workflow, String step) {
    public StepOf {
        Objects.requireNonNull(workflow, "workflow");
        Objects.requireNonNull(step, "step");
    }
}
