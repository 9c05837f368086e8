package run.creativeai.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobView;
import run.creativeai.gateway.job.OutputLinks;
import run.creativeai.gateway.json.Json;

/**
 * A job's terminal event as one attempt sends it: its stable id, its type and the exact body bytes
 * that are signed. Every attempt of an event carries the same id and says the same about the job;
 * the outputs' download URLs (and their {@code expires_at}) are signed for each attempt, so that
 * every attempt, a redelivery days later included, arrives with URLs that work. They are the only
 * bytes that differ between attempts.
 */
public record WebhookEvent(String id, String type, byte[] body) {

    public static WebhookEvent terminal(Job job, OutputLinks links, Instant signedAt) {
        if (!job.status().isTerminal()) {
            throw new IllegalArgumentException("job " + job.id() + " has not ended");
        }
        String id = EventId.of(job.id(), job.status());
        String type = "generation." + job.status().wireName();
        var envelope = Json.object()
                .put("event_id", id)
                .put("type", type)
                .put("timestamp", job.timings().finishedAt().orElseThrow().toString());
        envelope.set("data", JobView.withoutDeliveries(job, links, signedAt));
        return new WebhookEvent(id, type, Json.write(envelope).getBytes(StandardCharsets.UTF_8));
    }
}
