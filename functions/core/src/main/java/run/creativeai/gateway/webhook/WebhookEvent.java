package run.creativeai.gateway.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobView;
import run.creativeai.gateway.job.OutputLinks;
import run.creativeai.gateway.job.ProviderAttempt;
import run.creativeai.gateway.job.WebhookEventKind;
import run.creativeai.gateway.json.Json;

/**
 * A webhook event as one attempt sends it: its stable id, its type and the exact body bytes that
 * are signed. Built from the job (its start, or its end once terminal), or from the notice event and
 * the subscription alone; every kind has the same envelope: {@code {"event_id","type","timestamp","data"}}.
 * Every attempt of an event carries the same id and says the same, built only from what no longer
 * changes once the event happened; a terminal event's outputs' download URLs (and their
 * {@code expires_at}) are signed for each attempt, so that every attempt, a redelivery days later
 * included, arrives with URLs that work. They are the only bytes that differ between attempts.
 */
public record WebhookEvent(String id, String type, byte[] body) {

    /** The event {@code kind} of {@code job}, once it has happened, as an attempt at {@code signedAt} sends it. */
    public static Optional<WebhookEvent> of(Job job, WebhookEventKind kind, OutputLinks links, Instant signedAt) {
        return switch (kind) {
            case START -> started(job);
            case COMPLETED -> job.status().isTerminal() ? Optional.of(terminal(job, links, signedAt)) : Optional.empty();
        };
    }

    /**
     * {@code generation.started} ({@code training.started}): a provider accepted the job. It carries the job as it was then
     * (running, its input, when it was created and started), and its timestamp is when the attempt
     * the provider accepted began; absent while no provider has accepted the job.
     */
    public static Optional<WebhookEvent> started(Job job) {
        Optional<ProviderAttempt> accepted = job.acceptedAttempt();
        if (accepted.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(of(EventId.started(job.id()), JobView.objectOf(job.request()) + ".started",
                accepted.get().startedAt(),
                JobView.asStarted(job)));
    }

    public static WebhookEvent terminal(Job job, OutputLinks links, Instant signedAt) {
        if (!job.status().isTerminal()) {
            throw new IllegalArgumentException("job " + job.id() + " has not ended");
        }
        return of(EventId.of(job.id(), job.status()), JobView.objectOf(job.request()) + "." + job.status().wireName(),
                job.timings().finishedAt().orElseThrow(), JobView.withoutDeliveries(job, links, signedAt));
    }

    /** A notice event as subscription {@code subscriptionId} receives it. */
    public static WebhookEvent notice(String subscriptionId, NoticeEvent notice) {
        return of(EventId.ofNotice(subscriptionId, notice.id()), notice.type(), notice.at(), notice.data());
    }

    /** An event of another subject (a workflow's end): its id, type, when it happened and its data. */
    public static WebhookEvent of(String id, String type, Instant at, ObjectNode data) {
        var envelope = Json.object()
                .put("event_id", id)
                .put("type", type)
                .put("timestamp", at.toString());
        envelope.set("data", data);
        return new WebhookEvent(id, type, Json.write(envelope).getBytes(StandardCharsets.UTF_8));
    }
}
