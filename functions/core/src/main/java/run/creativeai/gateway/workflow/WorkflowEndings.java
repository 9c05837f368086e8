package run.creativeai.gateway.workflow;

/** Told once a workflow has ended and that is stored, so its customer hears about it. */
@FunctionalInterface
public interface WorkflowEndings {
    void ended(Workflow workflow);
}
