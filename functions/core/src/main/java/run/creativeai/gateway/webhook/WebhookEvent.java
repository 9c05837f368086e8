package run.creativeai.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobView;
import run.creativeai.gateway.job.ProviderAttempt;
import run.creativeai.gateway.job.WebhookEventKind;
import run.creativeai.gateway.json.Json;

/**
 * A job's event as it is sent: its stable id, its type and the exact body bytes that are signed.
 * Built only from what no longer changes once the event happened, so every attempt sends the same
 * bytes.
 */
public record WebhookEvent(String id, String type, byte[] body) {

    /** The event {@code kind} of {@code job}, once it has happened. */
    public static Optional<WebhookEvent> of(Job job, WebhookEventKind kind) {
        return switch (kind) {
            case START -> started(job);
            case COMPLETED -> job.status().isTerminal() ? Optional.of(terminal(job)) : Optional.empty();
        };
    }

    /**
     * {@code generation.started}: a provider accepted the job. It carries the job as it was then
     * (running, its input, when it was created and started), and its timestamp is when the attempt
     * the provider accepted began; absent while no provider has accepted the job.
     */
    public static Optional<WebhookEvent> started(Job job) {
        Optional<ProviderAttempt> accepted = job.attempts().stream().filter(a -> a.providerJobId().isPresent())
                .findFirst();
        if (accepted.isEmpty()) {
            return Optional.empty();
        }
        String id = EventId.started(job.id());
        String type = "generation.started";
        var envelope = Json.object()
                .put("event_id", id)
                .put("type", type)
                .put("timestamp", accepted.get().startedAt().toString());
        envelope.set("data", JobView.asStarted(job));
        return Optional.of(new WebhookEvent(id, type, Json.write(envelope).getBytes(StandardCharsets.UTF_8)));
    }

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
