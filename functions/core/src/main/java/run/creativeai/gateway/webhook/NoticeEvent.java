package run.creativeai.gateway.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;
import run.creativeai.gateway.json.Json;

/**
 * An event about the service rather than a job (an incident opened, a maintenance window
 * scheduled), sent to every status subscription. It travels whole in its queue messages, so every
 * attempt to every subscription sends the same data.
 *
 * @param id   stable per notice and update: the same change announced twice is the same event
 * @param type {@code status.incident.opened}, {@code status.maintenance.scheduled}, ...
 * @param data the notice as the status API shows it after this change
 */
public record NoticeEvent(String id, String type, Instant at, ObjectNode data) {
    private static final Pattern ID = Pattern.compile("ntc_[0-9a-f]{32}");
    private static final Pattern TYPE = Pattern.compile("status\\.[a-z_]+\\.[a-z_]+");

    public NoticeEvent {
        if (id == null || !ID.matcher(id).matches() || type == null || !TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("not a notice event: " + id + " " + type);
        }
        data = data.deepCopy();
    }

    /** The id of the event that announces update {@code update} of notice {@code noticeId}. */
    public static String idOf(String noticeId, int update) {
        return "ntc_" + EventId.digest(noticeId + ":" + update);
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.object().put("id", id).put("type", type).put("at", at.toString());
        node.set("data", data.deepCopy());
        return node;
    }

    /** Reads what {@link #toJson} wrote; empty for anything else. */
    public static Optional<NoticeEvent> fromJson(JsonNode node) {
        try {
            if (node == null || !node.path("data").isObject()) {
                return Optional.empty();
            }
            return Optional.of(new NoticeEvent(node.path("id").asText(null), node.path("type").asText(null),
                    Instant.parse(node.path("at").asText()), (ObjectNode) node.path("data")));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
