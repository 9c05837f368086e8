package run.creativeai.gateway.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.json.Json;

/**
 * One delivery attempt of a job's terminal event; the body of a webhook queue message. Either an
 * attempt of the {@link WebhookSchedule} ({@code attempt} 1, 2 or 3), or a redelivery the customer
 * requested, which is numbered when it is made and never retried by itself.
 */
public record WebhookTask(JobId jobId, int attempt, boolean requested) {

    public WebhookTask(JobId jobId, int attempt) {
        this(jobId, attempt, false);
    }

    /** A redelivery the customer asked for. */
    public static WebhookTask requested(JobId jobId) {
        return new WebhookTask(jobId, 0, true);
    }

    public String toMessage() {
        ObjectNode message = Json.object().put("job_id", jobId.value()).put("attempt", attempt);
        if (requested) {
            message.put("requested", true);
        }
        return Json.write(message);
    }

    public WebhookTask next() {
        return new WebhookTask(jobId, attempt + 1, false);
    }

    public static Optional<WebhookTask> fromMessage(String body) {
        try {
            JsonNode node = Json.mapper().readTree(body);
            Optional<JobId> id = JobId.parse(node.path("job_id").asText(null));
            int attempt = node.path("attempt").asInt(0);
            boolean requested = node.path("requested").asBoolean(false);
            if (id.isEmpty() || (!requested && attempt < 1)) {
                return Optional.empty();
            }
            return Optional.of(requested ? requested(id.get()) : new WebhookTask(id.get(), attempt));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
