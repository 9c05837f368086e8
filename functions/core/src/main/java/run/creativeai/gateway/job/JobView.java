package run.creativeai.gateway.job;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.model.JobKind;

/**
 * The public JSON form of a job: what the status endpoint returns and what a webhook event carries.
 * Each stored output gets a download URL signed at {@code now}, so a view is fresh whenever it is built.
 */
public final class JobView {
    private JobView() {
    }

    /** The job as the status endpoint shows it, webhook delivery attempts included. */
    public static ObjectNode of(Job job, OutputLinks links, Instant now) {
        ObjectNode view = withoutDeliveries(job, links, now);
        job.request().webhookUrl().ifPresent(url -> webhook(view, url, job.request().webhookEvents(), job.webhookAttempts()));
        return view;
    }

    /**
     * A job's or a workflow's {@code Cancel-After} as asked ({@code cancel_after}, whole seconds) and when
     * it passes ({@code deadline}); both null without one.
     */
    public static void deadline(ObjectNode view, Optional<Duration> cancelAfter, Optional<Instant> deadline) {
        cancelAfter.ifPresentOrElse(d -> view.put("cancel_after", d.toSeconds()), () -> view.putNull("cancel_after"));
        putInstant(view, "deadline", deadline);
    }

    /** The {@code webhook} object of a job or a workflow: where it goes, what it hears, every attempt so far. */
    public static void webhook(ObjectNode view, java.net.URI url, java.util.Set<WebhookEventKind> heard,
            java.util.List<WebhookAttempt> made) {
        ObjectNode webhook = view.putObject("webhook");
        webhook.put("url", url.toString());
        ArrayNode events = webhook.putArray("events");
        heard.forEach(e -> events.add(e.wireName()));
        ArrayNode attempts = webhook.putArray("attempts");
        for (WebhookAttempt a : made) {
            ObjectNode node = attempts.addObject()
                    .put("number", a.number())
                    .put("event_id", a.eventId())
                    .put("at", a.at().toString())
                    .put("delivered", a.delivered())
                    .put("duration_ms", a.durationMillis());
            a.statusCode().ifPresentOrElse(code -> node.put("status_code", code), () -> node.putNull("status_code"));
            a.error().ifPresentOrElse(e -> node.put("error", e), () -> node.putNull("error"));
        }
    }

    /**
     * The job as a webhook event carries it: without the delivery attempts, so that every attempt of
     * an event says the same, but for the outputs' URLs, signed at {@code now}.
     */
    public static ObjectNode withoutDeliveries(Job job, OutputLinks links, Instant now) {
        GenerationRequest request = job.request();
        ObjectNode view = Json.object()
                .put("id", job.id().value())
                .put("object", objectOf(request))
                .put("kind", request.kind().wireName())
                .put("status", job.status().wireName())
                .put("model", request.requestedModel());
        request.training().ifPresent(t -> {
            if (job.status() == JobStatus.SUCCEEDED) {
                view.put("fine_tuned_model", TrainingInput.modelIdOf(job.id()));
            } else {
                view.putNull("fine_tuned_model");
            }
        });
        job.modelActual().ifPresentOrElse(m -> view.put("model_actual", m), () -> view.putNull("model_actual"));
        view.put("failover_used", job.failoverUsed());

        putInput(view, request);

        ArrayNode outputs = view.putArray("outputs");
        for (JobOutput o : job.outputs()) {
            output(outputs.addObject(), o, links, now);
        }
        job.error().ifPresentOrElse(
                e -> view.putObject("error").put("code", e.code()).put("message", e.message()),
                () -> view.putNull("error"));

        // Known once the job has ended, from the job alone: every delivery of its event carries the same bytes.
        ObjectNode cost = view.putObject("cost").put("currency", "credits").put("reserved", job.cost().reserved());
        job.charge().ifPresentOrElse(c -> cost.put("charged", c.charged()).put("refunded", c.refunded()),
                () -> cost.putNull("charged").putNull("refunded"));

        view.put("created_at", job.timings().createdAt().toString());
        putInstant(view, "started_at", job.timings().startedAt());
        putInstant(view, "finished_at", job.timings().finishedAt());
        deadline(view, job.request().cancelAfter(), job.deadline());
        ObjectNode timings = view.putObject("timings");
        job.timings().queueWait().ifPresentOrElse(d -> timings.put("queue_wait_ms", d.toMillis()),
                () -> timings.putNull("queue_wait_ms"));
        job.inferenceTime().ifPresentOrElse(d -> timings.put("inference_ms", d.toMillis()),
                () -> timings.putNull("inference_ms"));
        job.copyTime().ifPresentOrElse(d -> timings.put("copy_ms", d.toMillis()), () -> timings.putNull("copy_ms"));

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

    /**
     * The job as its {@code generation.started} event carries it: as it was when a provider first
     * accepted it, so every attempt of that event sends the same bytes whatever the job did since.
     */
    public static ObjectNode asStarted(Job job) {
        GenerationRequest request = job.request();
        ProviderAttempt accepted = job.attempts().stream().filter(a -> a.providerJobId().isPresent()).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no provider has accepted job " + job.id()));
        ObjectNode view = Json.object()
                .put("id", job.id().value())
                .put("object", objectOf(request))
                .put("kind", request.kind().wireName())
                .put("status", JobStatus.RUNNING.wireName())
                .put("model", request.requestedModel())
                .put("model_actual", accepted.model());
        putInput(view, request);
        view.put("created_at", job.timings().createdAt().toString());
        putInstant(view, "started_at", job.timings().startedAt());
        return view;
    }

    private static void putInput(ObjectNode view, GenerationRequest request) {
        ObjectNode input = view.putObject("input").put("operation", request.operation().wireName());
        request.promptText().ifPresent(p -> input.put("prompt", p));
        if (request.kind() == run.creativeai.gateway.model.JobKind.IMAGE) {
            input.put("n", request.n());
        }
        request.size().ifPresent(s -> input.put("size", s));
        request.durationSeconds().ifPresent(d -> input.put("duration", d));
        request.resolution().ifPresent(r -> input.put("resolution", r));
        request.image().ifPresent(i -> input.put("image", i.wire()));
        request.mask().ifPresent(m -> input.put("mask", m.wire()));
        request.training().ifPresent(t -> {
            input.put("base_model", t.baseModel()).put("trigger_word", t.triggerWord()).put("steps", t.steps());
            ArrayNode images = input.putArray("images");
            t.images().forEach(i -> images.add(i.value()));
        });
        request.metadataJson().ifPresent(m -> view.set("metadata", Json.read(m)));
    }

    /**
     * A stored output: a fresh download URL and until when it works, until when the object is kept,
     * and what the copy measured. An output of a job from before outputs were copied has only the
     * provider's URL, and nulls for the rest.
     */
    private static void output(ObjectNode node, JobOutput output, OutputLinks links, Instant now) {
        Optional<Integer> width;
        Optional<Integer> height;
        if (output instanceof StoredOutput stored) {
            OutputLinks.Link link = links.link(stored, now);
            node.put("url", link.url()).put("expires_at", link.expiresAt().toString())
                    .put("retained_until", link.retainedUntil().toString())
                    .put("size_bytes", stored.sizeBytes()).put("content_type", stored.contentType())
                    .put("sha256", stored.sha256());
            width = stored.width();
            height = stored.height();
        } else {
            Output reported = (Output) output;
            node.put("url", reported.url()).putNull("expires_at").putNull("retained_until").putNull("size_bytes")
                    .put("content_type", reported.contentType()).putNull("sha256");
            width = reported.width();
            height = reported.height();
        }
        width.ifPresent(w -> node.put("width", w));
        height.ifPresent(h -> node.put("height", h));
    }

    /**
     * What a job is to its customer, in its view's {@code object} and its webhook events' types
     * ({@code training.succeeded}): a training is a job like any other, but its customers call it one.
     */
    public static String objectOf(GenerationRequest request) {
        return request.kind() == JobKind.TRAINING ? "training" : "generation";
    }

    private static void putInstant(ObjectNode node, String field, Optional<Instant> value) {
        value.ifPresentOrElse(v -> node.put(field, v.toString()), () -> node.putNull(field));
    }
}
