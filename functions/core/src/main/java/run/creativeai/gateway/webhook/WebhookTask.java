package run.creativeai.gateway.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.WebhookEventKind;
import run.creativeai.gateway.job.WorkflowId;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.tenant.TenantId;

/**
 * One delivery attempt of a webhook event; the body of a webhook queue message. Either an attempt
 * of the {@link WebhookSchedule} ({@code attempt} 1, 2 or 3), or a redelivery of a job's terminal
 * event the customer requested, which is numbered when it is made and never retried by itself. A
 * job's task names the job and the event; a notice's carries the notice event whole, so that each
 * attempt sends the same data; a workflow's names the workflow.
 */
public record WebhookTask(WebhookSubject subject, int attempt, boolean requested) implements WebhookMessage {

    public WebhookTask {
        if (requested && !(subject instanceof WebhookSubject.JobEvent job && job.event() == WebhookEventKind.COMPLETED)) {
            throw new IllegalArgumentException("only a job's terminal event is redelivered on request");
        }
    }

    /** An attempt of the job's terminal event. */
    public WebhookTask(JobId jobId, int attempt) {
        this(jobId, WebhookEventKind.COMPLETED, attempt);
    }

    /** An attempt of the job's event {@code event}. */
    public WebhookTask(JobId jobId, WebhookEventKind event, int attempt) {
        this(new WebhookSubject.JobEvent(jobId, event), attempt, false);
    }

    /** A redelivery the customer asked for. */
    public static WebhookTask requested(JobId jobId) {
        return new WebhookTask(WebhookSubject.JobEvent.ending(jobId), 0, true);
    }

    /**
     * A job's task names its event only when it is not the ending, so that a message without one
     * (every message queued before there was more than one) reads as the terminal event it was.
     */
    @Override
    public String toMessage() {
        ObjectNode message = Json.object();
        if (subject instanceof WebhookSubject.Notice notice) {
            message.put("tenant_id", notice.tenant().value()).put("subscription_id", notice.subscriptionId());
            message.set("notice", notice.event().toJson());
        } else if (subject instanceof WebhookSubject.WorkflowEvent workflow) {
            message.put("workflow_id", workflow.workflow().value());
        } else {
            WebhookSubject.JobEvent job = (WebhookSubject.JobEvent) subject;
            message.put("job_id", job.job().value());
            if (job.event() != WebhookEventKind.COMPLETED) {
                message.put("event", job.event().wireName());
            }
        }
        message.put("attempt", attempt);
        if (requested) {
            message.put("requested", true);
        }
        return Json.write(message);
    }

    public WebhookTask next() {
        return new WebhookTask(subject, attempt + 1, false);
    }

    public static Optional<WebhookTask> fromMessage(String body) {
        return WebhookMessage.read(body).filter(m -> m instanceof WebhookTask).map(m -> (WebhookTask) m);
    }

    static Optional<WebhookTask> fromJson(JsonNode node) {
        try {
            int attempt = node.path("attempt").asInt(0);
            boolean requested = node.path("requested").asBoolean(false);
            if (node.has("notice")) {
                Optional<NoticeEvent> event = NoticeEvent.fromJson(node.get("notice"));
                String subscription = node.path("subscription_id").asText("");
                if (event.isEmpty() || subscription.isEmpty() || requested || attempt < 1) {
                    return Optional.empty();
                }
                return Optional.of(new WebhookTask(new WebhookSubject.Notice(new TenantId(node.path("tenant_id").asText()),
                        subscription, event.get()), attempt, false));
            }
            if (node.has("workflow_id")) {
                return WorkflowId.parse(node.path("workflow_id").asText(null)).filter(w -> !requested && attempt >= 1)
                        .map(w -> new WebhookTask(new WebhookSubject.WorkflowEvent(w), attempt, false));
            }
            Optional<JobId> id = JobId.parse(node.path("job_id").asText(null));
            Optional<WebhookEventKind> event = node.has("event")
                    ? WebhookEventKind.fromWire(node.path("event").asText())
                    : Optional.of(WebhookEventKind.COMPLETED);
            if (id.isEmpty() || event.isEmpty() || (!requested && attempt < 1)
                    || (requested && event.get() != WebhookEventKind.COMPLETED)) {
                return Optional.empty();
            }
            return Optional.of(requested ? requested(id.get()) : new WebhookTask(id.get(), event.get(), attempt));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
