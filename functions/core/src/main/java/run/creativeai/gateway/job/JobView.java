package run.creativeai.gateway.job;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.Output;
import run.creativeai.gateway.job.ProviderAttempt;
import run.creativeai.gateway.job.WebhookAttempt;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.model.JobKind;

/** The public JSON form of a job: what the status endpoint returns and what a webhook event carries. */
public final class JobView {
    private JobView() {
    }

    /** The job as the status endpoint shows it, webhook delivery attempts included. */
    public static ObjectNode of(Job job) {
        ObjectNode view = withoutDeliveries(job);
        job.request().webhookUrl().ifPresent(url -> {
            ObjectNode webhook = view.putObject("webhook");
            webhook.put("url", url.toString());
            ArrayNode attempts = webhook.putArray("attempts");
            for (WebhookAttempt a : job.webhookAttempts()) {
                ObjectNode node = attempts.addObject()
                        .put("number", a.number())
                        .put("event_id", a.eventId())
                        .put("at", a.at().toString())
                        .put("delivered", a.delivered())
                        .put("duration_ms", a.durationMillis());
                a.statusCode().ifPresentOrElse(code -> node.put("status_code", code), () -> node.putNull("status_code"));
                a.error().ifPresentOrElse(e -> node.put("error", e), () -> node.putNull("error"));
            }
        });
        return view;
    }

    /**
     * The job as a webhook event carries it: without the delivery attempts, so that every attempt of
     * an event sends the same bytes.
     */
    public static ObjectNode withoutDeliveries(Job job) {
        GenerationRequest request = job.request();
        ObjectNode view = Json.object()
                .put("id", job.id().value())
                .put("object", "generation")
                .put("kind", request.kind().wireName())
                .put("status", job.status().wireName())
                .put("model", request.model());
        job.modelActual().ifPresentOrElse(m -> view.put("model_actual", m), () -> view.putNull("model_actual"));
        view.put("failover_used", job.failoverUsed());

        ObjectNode input = view.putObject("input").put("operation", request.operation().wireName());
        request.promptText().ifPresent(p -> input.put("prompt", p));
        if (request.kind() == run.creativeai.gateway.model.JobKind.IMAGE) {
            input.put("n", request.n());
        }
        request.size().ifPresent(s -> input.put("size", s));
        request.durationSeconds().ifPresent(d -> input.put("duration", d));
        request.image().ifPresent(i -> input.put("image", i.wire()));
        request.mask().ifPresent(m -> input.put("mask", m.wire()));
        request.metadataJson().ifPresent(m -> view.set("metadata", Json.read(m)));

        ArrayNode outputs = view.putArray("outputs");
        for (Output o : job.outputs()) {
            ObjectNode node = outputs.addObject().put("url", o.url()).put("content_type", o.contentType());
            o.width().ifPresent(w -> node.put("width", w));
            o.height().ifPresent(h -> node.put("height", h));
        }
        job.error().ifPresentOrElse(
                e -> view.putObject("error").put("code", e.code()).put("message", e.message()),
                () -> view.putNull("error"));

        view.put("created_at", job.timings().createdAt().toString());
        putInstant(view, "started_at", job.timings().startedAt());
        putInstant(view, "finished_at", job.timings().finishedAt());
        ObjectNode timings = view.putObject("timings");
        job.timings().queueWait().ifPresentOrElse(d -> timings.put("queue_wait_ms", d.toMillis()),
                () -> timings.putNull("queue_wait_ms"));
        job.inferenceTime().ifPresentOrElse(d -> timings.put("inference_ms", d.toMillis()),
                () -> timings.putNull("inference_ms"));

        ArrayNode attempts = view.putArray("attempts");
        for (ProviderAttempt a : job.attempts()) {
            ObjectNode node = attempts.addObject()
                    .put("number", a.number())
                    .put("round", a.round())
                    .put("model", a.model())
                    .put("provider", a.provider())
                    .put("outcome", a.outcome().wireName())
                    .put("started_at", a.startedAt().toString());
            putInstant(node, "ended_at", a.endedAt());
            a.detail().ifPresent(d -> node.put("detail", d));
        }
        return view;
    }

    private static void putInstant(ObjectNode node, String field, Optional<Instant> value) {
        value.ifPresentOrElse(v -> node.put(field, v.toString()), () -> node.putNull(field));
    }
}
