package run.creativeai.gateway.api.routes;

import java.util.Optional;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.api.ApiError;
import run.creativeai.gateway.api.ApiRequest;
import run.creativeai.gateway.api.ApiResponse;
import run.creativeai.gateway.api.GatewayApi;
import run.creativeai.gateway.api.Route;
import run.creativeai.gateway.api.WorkflowReplies;
import run.creativeai.gateway.workflow.Workflow;
import run.creativeai.gateway.workflow.WorkflowRunner;

/**
 * {@code DELETE /v1/workflows/{id}}: cancels a workflow of the caller's tenant that has not ended, and
 * each of its steps' jobs still queued or running, as {@code DELETE /v1/generations/{id}} would; steps
 * not started never start. 200 with the cancelled workflow; 409 once it has ended; 404 for an
 * unknown id or another tenant's workflow.
 */
public final class CancelWorkflow implements Route {
    private final WorkflowReplies workflows;
    private final WorkflowRunner runner;

    public CancelWorkflow(WorkflowReplies workflows, WorkflowRunner runner) {
        this.workflows = workflows;
        this.runner = runner;
    }

    @Override
    public String key() {
        return GatewayApi.CANCEL_WORKFLOW;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Principal principal) {
        Optional<Workflow> found = workflows.own(request, principal);
        if (found.isEmpty()) {
            return WorkflowReplies.notFound(request);
        }
        WorkflowRunner.Cancel result = runner.cancel(found.get());
        if (!result.canceled()) {
            return new ApiError(409, "invalid_request_error", "workflow_ended", "workflow " + result.workflow().id()
                    + " already " + result.workflow().status().wireName() + "; only a queued or running workflow can be"
                    + " cancelled", Optional.empty()).toResponse();
        }
        return workflows.workflow(200, result.workflow()).toResponse();
    }
}
