package run.creativeai.gateway.workflow;

import java.time.Duration;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobEndings;

/**
 * Where a job's end is carried out, a job a workflow started also moves its workflow on: a message
 * for the {@link WorkflowRunner}, sent before the job can leave the reconciler's index.
 */
public final class WorkflowStepEndings implements JobEndings {
    private final JobEndings then;
    private final WorkflowQueue workflows;

    /** @param then what every job's end also does (its own webhook) */
    public WorkflowStepEndings(JobEndings then, WorkflowQueue workflows) {
        this.then = then;
        this.workflows = workflows;
    }

    @Override
    public void ended(Job job) {
        job.step().ifPresent(step -> workflows.advance(step.workflow(), Duration.ZERO));
        then.ended(job);
    }
}
