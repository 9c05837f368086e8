package run.creativeai.client.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;
import run.creativeai.client.Generation;
import run.creativeai.client.Workflow;

/**
 * A verified webhook event: {@code {"event_id","type","timestamp","data"}}. {@link #id()} is the same on
 * every attempt and redelivery of one event; deduplicate on it.
 *
 * @param timestamp when the event happened (not when this attempt was signed)
 */
public record WebhookEvent(String id, String type, Instant timestamp, JsonNode data) {

    /**
     * The job, for the {@code generation.*} events ({@code generation.succeeded}, {@code generation.started}, ...)
     * and the {@code training.*} events (a training reads as the job it is, {@code kind} {@code training}).
     */
    public Optional<Generation> generation() {
        return type.startsWith("generation.") || type.startsWith("training.") ? Optional.of(Generation.fromJson(data))
                : Optional.empty();
    }

    /** The workflow, for the {@code workflow.*} events ({@code workflow.completed}, {@code .failed}, {@code .canceled}). */
    public Optional<Workflow> workflow() {
        return type.startsWith("workflow.") ? Optional.of(Workflow.fromJson(data)) : Optional.empty();
    }
}
