package run.creativeai.gateway.api;

import java.time.Clock;
import java.util.Optional;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.job.OutputLinks;
import run.creativeai.gateway.job.WorkflowId;
import run.creativeai.gateway.workflow.Workflow;
import run.creativeai.gateway.workflow.WorkflowRunner;
import run.creativeai.gateway.workflow.WorkflowStore;
import run.creativeai.gateway.workflow.WorkflowView;

/** The workflow routes' shared reads and answers: a tenant's own workflow, and the workflow as a body. */
public final class WorkflowReplies {
    private final WorkflowStore workflows;
    private final WorkflowRunner runner;
    private final OutputLinks links;
    private final Clock clock;

    public WorkflowReplies(WorkflowStore workflows, WorkflowRunner runner, OutputLinks links, Clock clock) {
        this.workflows = workflows;
        this.runner = runner;
        this.links = links;
        this.clock = clock;
    }

    /** Another tenant's workflow, like one that does not exist, is absent: ids reveal nothing across tenants. */
    public Optional<Workflow> own(ApiRequest request, Principal principal) {
        return request.pathParameter("id").flatMap(WorkflowId::parse).flatMap(workflows::find)
                .filter(w -> w.tenantId().equals(principal.tenantId()));
    }

    public static ApiResponse notFound(ApiRequest request) {
        return ApiError.noSuch("workflow", request.pathParameter("id").orElse("")).toResponse();
    }

    /** The workflow with each step's job as it is now. */
    public Reply workflow(int status, Workflow workflow) {
        return new Reply(status, java.util.Map.of(), WorkflowView.of(workflow, runner.states(workflow), links,
                clock.instant()));
    }
}
