package run.creativeai.gateway.webhook;

import java.nio.charset.StandardCharsets;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobView;
import run.creativeai.gateway.json.Json;

/**
 * A job's terminal event as it is sent: its stable id, its type and the exact body bytes that are
 * signed. Built from the terminal job alone, so every attempt sends the same bytes.
 */
public record WebhookEvent(String id, String type, byte[] body) {

    public static WebhookEvent terminal(Job job) {
        if (!job.status().isTerminal()) {
            throw new IllegalArgumentException("job " + job.id() + " has not ended");
        }
        String id = EventId.of(job.id(), job.status());
        String type = "generation." + job.status().wireName();
        var envelope = Json.object()
                .put("event_id", id)
                .put("type", type)
                .put("timestamp", job.timings().finishedAt().orElseThrow().toString());
        envelope.set("data", JobView.withoutDeliveries(job));
        return new WebhookEvent(id, type, Json.write(envelope).getBytes(StandardCharsets.UTF_8));
    }
}
