package run.creativeai.gateway.api.routes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.api.ApiRequest;
import run.creativeai.gateway.api.ApiResponse;
import run.creativeai.gateway.api.GatewayApi;
import run.creativeai.gateway.api.Reply;
import run.creativeai.gateway.api.Route;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.model.Model;
import run.creativeai.gateway.model.ModelCatalog;

/** {@code GET /v1/models}: every model, its aliases and its failover chain. */
public final class ListModels implements Route {
    private final ModelCatalog models;

    public ListModels(ModelCatalog models) {
        this.models = models;
    }

    @Override
    public String key() {
        return GatewayApi.LIST_MODELS;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Principal principal) {
        ObjectNode body = Json.object().put("object", "list");
        ArrayNode data = body.putArray("data");
        for (Model model : models.all()) {
            ObjectNode node = data.addObject()
                    .put("id", model.id())
                    .put("object", "model")
                    .put("kind", model.kind().wireName());
            model.aliases().forEach(node.putArray("aliases")::add);
            ArrayNode operations = node.putArray("operations");
            model.supportedOperations().forEach(o -> operations.add(o.wireName()));
            ArrayNode chain = node.putArray("failover_chain");
            models.chainFor(model).links().forEach(link -> chain.add(link.id()));
        }
        return new Reply(200, Map.of(), body).toResponse();
    }
}
