package run.creativeai.gateway.job;

import java.time.Instant;
import java.util.Objects;

/**
 * The workflow step a job was admitted for: when the job ends, its workflow is moved on (its
 * dependents started, or the workflow ended).
 *
 * @param workflowCreatedAt when its workflow was created: a {@code Cancel-After} deadline the job
 *                          carries is its workflow's, measured from then
 */
public record StepOf(WorkflowId workflow, String step, Instant workflowCreatedAt) {
    public StepOf {
        Objects.requireNonNull(workflow, "workflow");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(workflowCreatedAt, "workflowCreatedAt");
    }
}
