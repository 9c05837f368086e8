package run.creativeai.gateway.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobView;
import run.creativeai.gateway.job.OutputLinks;
import run.creativeai.gateway.json.Json;

/**
 * A webhook event as one attempt sends it: its stable id, its type and the exact body bytes that
 * are signed. Built from the terminal job, or from the notice event and the subscription alone; both
 * kinds have the same envelope: {@code {"event_id","type","timestamp","data"}}. Every attempt of an
 * event carries the same id and says the same; a job's outputs' download URLs (and their
 * {@code expires_at}) are signed for each attempt, so that every attempt, a redelivery days later
 * included, arrives with URLs that work. They are the only bytes that differ between attempts.
 */
public record WebhookEvent(String id, String type, byte[] body) {

    public static WebhookEvent terminal(Job job, OutputLinks links, Instant signedAt) {
        if (!job.status().isTerminal()) {
            throw new IllegalArgumentException("job " + job.id() + " has not ended");
        }
        return of(EventId.of(job.id(), job.status()), "generation." + job.status().wireName(),
                job.timings().finishedAt().orElseThrow(), JobView.withoutDeliveries(job, links, signedAt));
    }

    /** A notice event as subscription {@code subscriptionId} receives it. */
    public static WebhookEvent notice(String subscriptionId, NoticeEvent notice) {
        return of(EventId.ofNotice(subscriptionId, notice.id()), notice.type(), notice.at(), notice.data());
    }

    private static WebhookEvent of(String id, String type, Instant at, ObjectNode data) {
        var envelope = Json.object()
                .put("event_id", id)
                .put("type", type)
                .put("timestamp", at.toString());
        envelope.set("data", data);
        return new WebhookEvent(id, type, Json.write(envelope).getBytes(StandardCharsets.UTF_8));
    }
}
