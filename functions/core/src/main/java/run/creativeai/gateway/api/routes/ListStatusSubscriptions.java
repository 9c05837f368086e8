package run.creativeai.gateway.api.routes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.api.ApiRequest;
import run.creativeai.gateway.api.ApiResponse;
import run.creativeai.gateway.api.GatewayApi;
import run.creativeai.gateway.api.ReadLimit;
import run.creativeai.gateway.api.Reply;
import run.creativeai.gateway.api.Route;
import run.creativeai.gateway.api.StatusSubscriptionReplies;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.status.Subscriptions;

/** {@code GET /v1/status/subscriptions}: the caller's tenant's status subscriptions, each with its last delivery. */
public final class ListStatusSubscriptions implements Route {
    private final ReadLimit reads;
    private final Subscriptions subscriptions;

    public ListStatusSubscriptions(ReadLimit reads, Subscriptions subscriptions) {
        this.reads = reads;
        this.subscriptions = subscriptions;
    }

    @Override
    public String key() {
        return GatewayApi.LIST_STATUS_SUBSCRIPTIONS;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Principal principal) {
        return reads.counted(principal, (decision, now) -> {
            ObjectNode body = Json.object().put("object", "list");
            ArrayNode data = body.putArray("data");
            subscriptions.list(principal.tenantId()).forEach(s -> data.add(StatusSubscriptionReplies.view(s)));
            return new Reply(200, Map.of(), body).toResponse();
        });
    }
}
