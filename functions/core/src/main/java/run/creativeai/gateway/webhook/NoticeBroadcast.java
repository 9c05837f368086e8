package run.creativeai.gateway.webhook;

import run.creativeai.gateway.json.Json;

/** A notice event to fan out: the webhook function turns it into one delivery per status subscription. */
public record NoticeBroadcast(NoticeEvent event) implements WebhookMessage {
    @Override
    public String toMessage() {
        var message = Json.object();
        message.set("broadcast", event.toJson());
        return Json.write(message);
    }
}
