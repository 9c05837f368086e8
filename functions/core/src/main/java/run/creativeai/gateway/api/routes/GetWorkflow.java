package run.creativeai.gateway.api.routes;

import java.util.Optional;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.api.ApiRequest;
import run.creativeai.gateway.api.ApiResponse;
import run.creativeai.gateway.api.GatewayApi;
import run.creativeai.gateway.api.ReadLimit;
import run.creativeai.gateway.api.Route;
import run.creativeai.gateway.api.WorkflowReplies;
import run.creativeai.gateway.workflow.Workflow;

/** {@code GET /v1/workflows/{id}}: a workflow of the caller's tenant, each step with its job; a read. */
public final class GetWorkflow implements Route {
    private final ReadLimit reads;
    private final WorkflowReplies workflows;

    public GetWorkflow(ReadLimit reads, WorkflowReplies workflows) {
        this.reads = reads;
        this.workflows = workflows;
    }

    @Override
    public String key() {
        return GatewayApi.GET_WORKFLOW;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Principal principal) {
        return reads.counted(principal, (decision, now) -> {
            Optional<Workflow> workflow = workflows.own(request, principal);
            return workflow.isEmpty() ? WorkflowReplies.notFound(request)
                    : workflows.workflow(200, workflow.get()).toResponse();
        });
    }
}
