package run.creativeai.gateway.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import run.creativeai.gateway.json.Json;

/**
 * The JSON of incidents and maintenance windows, written and read in this one place: the public
 * view (the status API, the page, the subscriptions' events) and the stored form, which is the
 * public view plus the version.
 */
public final class NoticeJson {
    private NoticeJson() {
    }

    /** As the status API shows it. */
    public static ObjectNode view(Notice notice) {
        ObjectNode node = Json.object().put("id", notice.id());
        if (notice instanceof Incident incident) {
            node.put("object", "incident").put("title", incident.title());
            components(node, incident.components());
            node.put("impact", incident.impact().wireName()).put("status", incident.state())
                    .put("automatic", incident.cause().isAutomatic());
            cause(node, incident.cause());
            node.put("opened_at", incident.openedAt().toString());
            instant(node, "resolved_at", incident.resolvedAt());
        } else {
            Maintenance maintenance = (Maintenance) notice;
            node.put("object", "maintenance").put("title", maintenance.title());
            components(node, maintenance.components());
            node.put("status", maintenance.state().wireName())
                    .put("starts_at", maintenance.startsAt().toString())
                    .put("ends_at", maintenance.endsAt().toString());
            instant(node, "closed_at", maintenance.closedAt());
        }
        ArrayNode updates = node.putArray("updates");
        for (NoticeUpdate update : notice.updates()) {
            updates.addObject().put("number", update.number()).put("at", update.at().toString())
                    .put("status", update.state()).put("message", update.message());
        }
        return node;
    }

    public static String stored(Notice notice) {
        return Json.write(view(notice).put("version", notice.version()));
    }

    public static Notice read(String stored) {
        JsonNode node = Json.read(stored);
        String id = node.path("id").asText();
        List<ComponentId> components = new ArrayList<>();
        node.path("components").forEach(c -> components.add(new ComponentId(c.asText())));
        List<NoticeUpdate> updates = new ArrayList<>();
        node.path("updates").forEach(u -> updates.add(new NoticeUpdate(u.path("number").asInt(),
                Instant.parse(u.path("at").asText()), u.path("status").asText(), u.path("message").asText())));
        long version = node.path("version").asLong(1);
        if (node.path("object").asText().equals("incident")) {
            return new Incident(id, node.path("title").asText(), components,
                    ComponentStatus.fromWire(node.path("impact").asText()).orElseThrow(), cause(node.path("cause")),
                    updates, Instant.parse(node.path("opened_at").asText()), instant(node.path("resolved_at")), version);
        }
        return new Maintenance(id, node.path("title").asText(), components, Instant.parse(node.path("starts_at").asText()),
                Instant.parse(node.path("ends_at").asText()),
                Maintenance.State.fromWire(node.path("status").asText()).orElseThrow(), updates, version);
    }

    private static void components(ObjectNode node, List<ComponentId> components) {
        ArrayNode list = node.putArray("components");
        components.forEach(c -> list.add(c.value()));
    }

    private static void cause(ObjectNode node, IncidentCause cause) {
        if (cause instanceof IncidentCause.ProviderOutage outage) {
            node.putObject("cause").put("type", "provider_outage").put("provider", outage.provider())
                    .put("since", outage.since().toString());
        } else if (cause instanceof IncidentCause.SignalBreach breach) {
            node.putObject("cause").put("type", "signal").put("component", breach.component().value())
                    .put("since", breach.since().toString());
        } else {
            node.putObject("cause").put("type", "operator");
        }
    }

    private static IncidentCause cause(JsonNode node) {
        return switch (node.path("type").asText()) {
            case "provider_outage" -> new IncidentCause.ProviderOutage(node.path("provider").asText(),
                    Instant.parse(node.path("since").asText()));
            case "signal" -> new IncidentCause.SignalBreach(new ComponentId(node.path("component").asText()),
                    Instant.parse(node.path("since").asText()));
            default -> new IncidentCause.Operator();
        };
    }

    private static void instant(ObjectNode node, String field, Optional<Instant> value) {
        value.ifPresentOrElse(v -> node.put(field, v.toString()), () -> node.putNull(field));
    }

    private static Optional<Instant> instant(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? Optional.empty()
                : Optional.of(Instant.parse(node.asText()));
    }
}
