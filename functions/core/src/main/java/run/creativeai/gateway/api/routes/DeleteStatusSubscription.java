package run.creativeai.gateway.api.routes;

import java.util.Map;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.api.ApiError;
import run.creativeai.gateway.api.ApiRequest;
import run.creativeai.gateway.api.ApiResponse;
import run.creativeai.gateway.api.GatewayApi;
import run.creativeai.gateway.api.ReadLimit;
import run.creativeai.gateway.api.Reply;
import run.creativeai.gateway.api.Route;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.status.Subscriptions;

/**
 * {@code DELETE /v1/status/subscriptions/{id}}: no more notices to that URL (deliveries already queued
 * find it gone and stop). 404 for an id the caller's tenant does not have.
 */
public final class DeleteStatusSubscription implements Route {
    private final ReadLimit reads;
    private final Subscriptions subscriptions;

    public DeleteStatusSubscription(ReadLimit reads, Subscriptions subscriptions) {
        this.reads = reads;
        this.subscriptions = subscriptions;
    }

    @Override
    public String key() {
        return GatewayApi.DELETE_STATUS_SUBSCRIPTION;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Principal principal) {
        return reads.counted(principal, (decision, now) -> {
            String id = request.pathParameter("id").orElse("");
            if (!id.matches("sub_[0-9a-f]{26}") || !subscriptions.remove(principal.tenantId(), id)) {
                return ApiError.noSuch("status subscription", id).toResponse();
            }
            return new Reply(200, Map.of(), Json.object().put("id", id).put("object", "status_subscription")
                    .put("deleted", true)).toResponse();
        });
    }
}
