package run.creativeai.gateway.adapters.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;
import run.creativeai.gateway.job.WebhookAttempt;
import run.creativeai.gateway.json.Json;

/** A webhook attempt as stored, on a job's document or beside a status subscription. */
public final class WebhookAttemptJson {
    private WebhookAttemptJson() {
    }

    public static ObjectNode write(WebhookAttempt attempt) {
        ObjectNode node = Json.object()
                .put("number", attempt.number())
                .put("event_id", attempt.eventId())
                .put("at", attempt.at().toString())
                .put("duration_ms", attempt.durationMillis());
        attempt.statusCode().ifPresent(v -> node.put("status_code", v));
        attempt.error().ifPresent(v -> node.put("error", v));
        return node;
    }

    public static WebhookAttempt read(JsonNode node) {
        JsonNode status = node.get("status_code");
        JsonNode error = node.get("error");
        return new WebhookAttempt(node.path("number").asInt(), node.path("event_id").asText(),
                Instant.parse(node.path("at").asText()),
                status == null || status.isNull() ? Optional.empty() : Optional.of(status.asInt()),
                error == null || error.isNull() ? Optional.empty() : Optional.of(error.asText()),
                node.path("duration_ms").asLong());
    }
}
