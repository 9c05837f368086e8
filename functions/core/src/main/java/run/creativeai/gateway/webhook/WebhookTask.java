package run.creativeai.gateway.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.WebhookEventKind;
import run.creativeai.gateway.json.Json;

/**
 * One delivery attempt of one of a job's events; the body of a webhook queue message. Either an
 * attempt of the {@link WebhookSchedule} ({@code attempt} 1, 2 or 3), or a redelivery of the
 * terminal event the customer requested, which is numbered when it is made and never retried by
 * itself.
 */
public record WebhookTask(JobId jobId, WebhookEventKind event, int attempt, boolean requested) {

    /** An attempt of the job's terminal event. */
    public WebhookTask(JobId jobId, int attempt) {
        this(jobId, WebhookEventKind.COMPLETED, attempt, false);
    }

    public WebhookTask(JobId jobId, WebhookEventKind event, int attempt) {
        this(jobId, event, attempt, false);
    }

    /** A redelivery the customer asked for. */
    public static WebhookTask requested(JobId jobId) {
        return new WebhookTask(jobId, WebhookEventKind.COMPLETED, 0, true);
    }

    /** Messages without an event (all those queued before there was more than one) are of the terminal event. */
    public String toMessage() {
        ObjectNode message = Json.object().put("job_id", jobId.value()).put("attempt", attempt);
        if (event != WebhookEventKind.COMPLETED) {
            message.put("event", event.wireName());
        }
        if (requested) {
            message.put("requested", true);
        }
        return Json.write(message);
    }

    public WebhookTask next() {
        return new WebhookTask(jobId, event, attempt + 1, false);
    }

    public static Optional<WebhookTask> fromMessage(String body) {
        try {
            JsonNode node = Json.mapper().readTree(body);
            Optional<JobId> id = JobId.parse(node.path("job_id").asText(null));
            int attempt = node.path("attempt").asInt(0);
            boolean requested = node.path("requested").asBoolean(false);
            Optional<WebhookEventKind> event = node.has("event")
                    ? WebhookEventKind.fromWire(node.path("event").asText())
                    : Optional.of(WebhookEventKind.COMPLETED);
            if (id.isEmpty() || event.isEmpty() || (!requested && attempt < 1)
                    || (requested && event.get() != WebhookEventKind.COMPLETED)) {
                return Optional.empty();
            }
            return Optional.of(requested ? requested(id.get()) : new WebhookTask(id.get(), event.get(), attempt));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
