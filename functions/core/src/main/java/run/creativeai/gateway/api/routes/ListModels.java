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
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.model.Operation;
import run.creativeai.gateway.training.TrainedModel;
import run.creativeai.gateway.training.TrainedModels;

/**
 * {@code GET /v1/models}: every model of the catalogue, its aliases and its failover chain, then the
 * caller's own trained models ({@code ft_...}, {@code "owned_by":"tenant"}), which no other tenant sees.
 */
public final class ListModels implements Route {
    private final ModelCatalog models;
    private final TrainedModels trained;

    public ListModels(ModelCatalog models, TrainedModels trained) {
        this.models = models;
        this.trained = trained;
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
            node.put("owned_by", "catalogue");
        }
        for (TrainedModel own : trained.of(principal.tenantId())) {
            ObjectNode node = data.addObject()
                    .put("id", own.id())
                    .put("object", "model")
                    .put("kind", JobKind.IMAGE.wireName())
                    .put("owned_by", "tenant")
                    .put("status", "ready")
                    .put("base_model", own.baseModel())
                    .put("trigger_word", own.triggerWord())
                    .put("training_id", own.trainedBy().value())
                    .put("created_at", own.createdAt().toString());
            node.putArray("operations").add(Operation.TEXT_TO_IMAGE.wireName());
            ArrayNode chain = node.putArray("failover_chain");
            models.find(own.baseModel()).ifPresent(base -> models.chainFor(base, true).links()
                    .forEach(link -> chain.add(link.id())));
        }
        return new Reply(200, Map.of(), body).toResponse();
    }
}
