package run.creativeai.gateway.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Optional;
import run.creativeai.gateway.json.Json;

/**
 * A message of the webhook queue, written and read in this one place: one delivery attempt
 * ({@link WebhookTask}), or a notice to send to every status subscription ({@link NoticeBroadcast}).
 */
public sealed interface WebhookMessage permits WebhookTask, NoticeBroadcast {

    String toMessage();

    /** Reads any kind; empty for a body that is not one of ours. */
    static Optional<WebhookMessage> read(String body) {
        JsonNode node;
        try {
            node = Json.tree(body);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        if (node == null || !node.isObject()) {
            return Optional.empty();
        }
        if (node.has("broadcast")) {
            return NoticeEvent.fromJson(node.get("broadcast")).map(NoticeBroadcast::new);
        }
        return WebhookTask.fromJson(node).map(task -> task);
    }
}
