package run.creativeai.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A model of {@code GET /v1/models}: its kind, the operations it does and the chain its jobs fail over along. */
public record Model(String id, String kind, List<String> aliases, List<String> operations, List<String> failoverChain,
        JsonNode json) {

    static Model of(JsonNode node) {
        return new Model(Json.text(node, "id", ""), Json.text(node, "kind", ""), Json.texts(node, "aliases"),
                Json.texts(node, "operations"), Json.texts(node, "failover_chain"), node);
    }
}
