package run.creativeai.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.status.Subscription;

/** A status subscription as the API shows it, with the last attempt to deliver a notice to it. */
public final class StatusSubscriptionReplies {
    private StatusSubscriptionReplies() {
    }

    public static ObjectNode view(Subscription subscription) {
        ObjectNode node = Json.object().put("id", subscription.id()).put("object", "status_subscription")
                .put("url", subscription.url().toString()).put("created_at", subscription.createdAt().toString());
        var events = node.putArray("events");
        events.add("status.incident.opened").add("status.incident.updated").add("status.incident.resolved")
                .add("status.maintenance.scheduled").add("status.maintenance.updated").add("status.maintenance.started")
                .add("status.maintenance.completed").add("status.maintenance.canceled");
        subscription.lastDelivery().ifPresentOrElse(d -> {
            ObjectNode last = node.putObject("last_delivery").put("event_id", d.attempt().eventId())
                    .put("type", d.eventType()).put("number", d.attempt().number()).put("at", d.attempt().at().toString())
                    .put("delivered", d.attempt().delivered()).put("duration_ms", d.attempt().durationMillis());
            d.attempt().statusCode().ifPresentOrElse(c -> last.put("status_code", c), () -> last.putNull("status_code"));
            d.attempt().error().ifPresentOrElse(e -> last.put("error", e), () -> last.putNull("error"));
        }, () -> node.putNull("last_delivery"));
        return node;
    }
}
