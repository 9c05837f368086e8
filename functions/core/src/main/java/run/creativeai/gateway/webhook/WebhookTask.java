package run.creativeai.gateway.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Optional;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.json.Json;

/** One scheduled delivery attempt of a job's terminal event; the body of a webhook queue message. */
public record WebhookTask(JobId jobId, int attempt) {

    public String toMessage() {
        return Json.write(Json.object().put("job_id", jobId.value()).put("attempt", attempt));
    }

    public WebhookTask next() {
        return new WebhookTask(jobId, attempt + 1);
    }

    public static Optional<WebhookTask> fromMessage(String body) {
        try {
            JsonNode node = Json.mapper().readTree(body);
            Optional<JobId> id = JobId.parse(node.path("job_id").asText(null));
            int attempt = node.path("attempt").asInt(0);
            return id.isPresent() && attempt >= 1 ? Optional.of(new WebhookTask(id.get(), attempt)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
