package run.creativeai.gateway.adapters.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import run.creativeai.gateway.job.AttemptOutcome;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.TrainedWeights;
import run.creativeai.gateway.job.TrainingInput;
import run.creativeai.gateway.media.UploadId;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobCost;
import run.creativeai.gateway.job.JobError;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.JobOutput;
import run.creativeai.gateway.job.JobStatus;
import run.creativeai.gateway.job.JobTimings;
import run.creativeai.gateway.job.Output;
import run.creativeai.gateway.job.ProviderAttempt;
import run.creativeai.gateway.job.StepOf;
import run.creativeai.gateway.job.StoredOutput;
import run.creativeai.gateway.job.WorkflowId;
import run.creativeai.gateway.job.WebhookAttempt;
import run.creativeai.gateway.job.WebhookEventKind;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.media.MediaSource;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.model.Operation;
import run.creativeai.gateway.plan.Tier;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantTerms;

/**
 * The stored form of a job: one JSON document with explicit field names, so the table's format
 * does not move when the domain classes are refactored. Its schema version is field {@code v}.
 */
final class JobDocument {
    private static final int SCHEMA = 1;

    private JobDocument() {
    }

    static String write(Job job) {
        ObjectNode doc = Json.object()
                .put("v", SCHEMA)
                .put("id", job.id().value())
                .put("tenant_id", job.tenantId().value())
                .put("key_id", job.keyId().value())
                .put("tier", job.tier().wireName())
                .put("plan", job.plan())
                .put("model", job.model())
                .put("status", job.status().wireName())
                .put("version", job.version());
        writeRequest(doc.putObject("request"), job.request());
        job.step().ifPresent(step -> doc.putObject("workflow").put("id", step.workflow().value()).put("step", step.step())
                .put("created_at", step.workflowCreatedAt().toString()));

        ObjectNode cost = doc.putObject("cost").put("in_key_budget", job.cost().inKeyBudget());
        ObjectNode prices = cost.putObject("prices");
        job.cost().prices().forEach(prices::put);
        writeTerms(doc, job.terms());

        ArrayNode attempts = doc.putArray("attempts");
        for (ProviderAttempt a : job.attempts()) {
            ObjectNode node = attempts.addObject()
                    .put("number", a.number())
                    .put("round", a.round())
                    .put("model", a.model())
                    .put("provider", a.provider())
                    .put("started_at", a.startedAt().toString())
                    .put("outcome", a.outcome().wireName());
            a.providerJobId().ifPresent(v -> node.put("provider_job_id", v));
            a.endedAt().ifPresent(v -> node.put("ended_at", v.toString()));
            a.detail().ifPresent(v -> node.put("detail", v));
        }
        ArrayNode outputs = doc.putArray("outputs");
        for (JobOutput o : job.outputs()) {
            ObjectNode node = outputs.addObject().put("content_type", o.contentType());
            Optional<Integer> width;
            Optional<Integer> height;
            if (o instanceof StoredOutput stored) {
                node.put("key", stored.key()).put("size_bytes", stored.sizeBytes()).put("sha256", stored.sha256())
                        .put("stored_at", stored.storedAt().toString());
                width = stored.width();
                height = stored.height();
            } else {
                // Written before outputs were copied: only the provider's URL.
                Output reported = (Output) o;
                node.put("url", reported.url());
                width = reported.width();
                height = reported.height();
            }
            width.ifPresent(v -> node.put("width", v));
            height.ifPresent(v -> node.put("height", v));
        }
        job.error().ifPresent(e -> doc.putObject("error").put("code", e.code()).put("message", e.message()));
        ObjectNode timings = doc.putObject("timings").put("created_at", job.timings().createdAt().toString());
        job.timings().startedAt().ifPresent(v -> timings.put("started_at", v.toString()));
        job.timings().finishedAt().ifPresent(v -> timings.put("finished_at", v.toString()));
        ArrayNode deliveries = doc.putArray("webhook_attempts");
        for (WebhookAttempt w : job.webhookAttempts()) {
            deliveries.add(WebhookAttemptJson.write(w));
        }
        return Json.write(doc);
    }

    /** A generation request, as a job's document and a workflow's steps keep it. */
    static void writeRequest(ObjectNode request, GenerationRequest r) {
        request.put("kind", r.kind().wireName())
                .put("model", r.model())
                .put("prompt", r.prompt())
                .put("n", r.n());
        r.size().ifPresent(v -> request.put("size", v));
        r.durationSeconds().ifPresent(v -> request.put("duration", v));
        r.resolution().ifPresent(v -> request.put("resolution", v));
        request.put("operation", r.operation().wireName());
        r.image().ifPresent(v -> request.put("image", v.wire()));
        r.mask().ifPresent(v -> request.put("mask", v.wire()));
        r.webhookUrl().ifPresent(v -> request.put("webhook_url", v.toString()));
        r.metadataJson().ifPresent(v -> request.put("metadata", v));
        if (!r.webhookEvents().equals(WebhookEventKind.DEFAULT)) {
            ArrayNode events = request.putArray("webhook_events");
            r.webhookEvents().forEach(e -> events.add(e.wireName()));
        }
        r.cancelAfter().ifPresent(d -> request.put("cancel_after_seconds", d.toSeconds()));
        r.training().ifPresent(t -> {
            ObjectNode training = request.putObject("training").put("base_model", t.baseModel())
                    .put("trigger_word", t.triggerWord()).put("steps", t.steps());
            ArrayNode images = training.putArray("images");
            t.images().forEach(i -> images.add(i.value()));
            t.archive().ifPresent(a -> training.put("archive", a.value()));
        });
        r.weights().ifPresent(w -> request.putObject("weights").put("model", w.model())
                .put("key", w.weightsKey()).put("scale", w.scale()));
    }

    /** The tenant's own terms, under {@code terms} of {@code doc}, unless they are none. */
    static void writeTerms(ObjectNode doc, TenantTerms terms) {
        if (!terms.equals(TenantTerms.none())) {
            ObjectNode t = doc.putObject("terms").put("limits", terms.limits()).put("version", terms.version());
            ObjectNode dedicated = t.putObject("dedicated");
            terms.dedicatedSlots().forEach(dedicated::put);
        }
    }

    /** Documents without the filter (all written before it existed) have the default. */
    private static Set<WebhookEventKind> webhookEvents(JsonNode events) {
        Set<WebhookEventKind> kinds = new HashSet<>();
        events.forEach(e -> kinds.add(WebhookEventKind.fromWire(e.asText())
                .orElseThrow(() -> new IllegalStateException("unknown webhook event " + e.asText() + " in a job document"))));
        return kinds.isEmpty() ? WebhookEventKind.DEFAULT : kinds;
    }

    private static Optional<TrainingInput> training(JsonNode t) {
        if (!t.isObject()) {
            return Optional.empty();
        }
        List<UploadId> images = new ArrayList<>();
        t.path("images").forEach(i -> images.add(new UploadId(i.asText())));
        return Optional.of(new TrainingInput(t.path("base_model").asText(), images, t.path("trigger_word").asText(),
                t.path("steps").asInt(), text(t, "archive").map(UploadId::new)));
    }

    static Job read(String json) {
        JsonNode doc = Json.read(json);
        if (doc.path("v").asInt() != SCHEMA) {
            throw new IllegalStateException("job document schema " + doc.path("v").asInt() + " is not readable here");
        }
        GenerationRequest request = readRequest(doc.path("request"));
        List<ProviderAttempt> attempts = new ArrayList<>();
        for (JsonNode a : doc.path("attempts")) {
            attempts.add(new ProviderAttempt(
                    a.path("number").asInt(),
                    // Documents written before chain retries have no round: they were all in the first.
                    a.path("round").asInt(1),
                    a.path("model").asText(),
                    a.path("provider").asText(),
                    Instant.parse(a.path("started_at").asText()),
                    text(a, "provider_job_id"),
                    AttemptOutcome.fromWire(a.path("outcome").asText()),
                    text(a, "ended_at").map(Instant::parse),
                    text(a, "detail")));
        }
        List<JobOutput> outputs = new ArrayList<>();
        for (JsonNode o : doc.path("outputs")) {
            if (o.has("key")) {
                outputs.add(new StoredOutput(o.path("key").asText(), o.path("content_type").asText(),
                        o.path("size_bytes").asLong(), o.path("sha256").asText(), Instant.parse(o.path("stored_at").asText()),
                        integer(o, "width"), integer(o, "height")));
            } else {
                outputs.add(new Output(o.path("url").asText(), o.path("content_type").asText(), integer(o, "width"),
                        integer(o, "height")));
            }
        }
        Optional<JobError> error = doc.has("error")
                ? Optional.of(new JobError(doc.path("error").path("code").asText(), doc.path("error").path("message").asText()))
                : Optional.empty();
        JsonNode t = doc.path("timings");
        JobTimings timings = new JobTimings(Instant.parse(t.path("created_at").asText()),
                text(t, "started_at").map(Instant::parse), text(t, "finished_at").map(Instant::parse));
        List<WebhookAttempt> deliveries = new ArrayList<>();
        for (JsonNode w : doc.path("webhook_attempts")) {
            deliveries.add(WebhookAttemptJson.read(w));
        }
        return new Job(
                new JobId(doc.path("id").asText()),
                new TenantId(doc.path("tenant_id").asText()),
                new KeyId(doc.path("key_id").asText()),
                Tier.fromWire(doc.path("tier").asText()),
                doc.path("plan").asText(),
                request,
                doc.path("model").asText(),
                JobStatus.fromWire(doc.path("status").asText()),
                attempts,
                outputs,
                error,
                timings,
                deliveries,
                doc.path("version").asLong(),
                cost(doc.path("cost")),
                terms(doc.path("terms")),
                doc.has("workflow") ? Optional.of(new StepOf(new WorkflowId(doc.path("workflow").path("id").asText()),
                        doc.path("workflow").path("step").asText(),
                        // A step admitted before the workflow's creation was kept had its deadline from its own admission.
                        text(doc.path("workflow"), "created_at").map(Instant::parse).orElse(timings.createdAt())))
                        : Optional.empty());
    }

    static GenerationRequest readRequest(JsonNode r) {
        JobKind kind = JobKind.fromWire(r.path("kind").asText());
        // Documents written before operations have none, and name a video's image by URL as image_url.
        Optional<MediaSource> image = text(r, "image").or(() -> text(r, "image_url")).map(MediaSource::fromWire);
        Operation operation = text(r, "operation").flatMap(Operation::fromWire)
                .orElse(Operation.defaultFor(kind, image.isPresent()));
        return new GenerationRequest(
                kind,
                r.path("model").asText(),
                r.path("prompt").asText(),
                r.path("n").asInt(1),
                text(r, "size"),
                r.has("duration") ? Optional.of(r.path("duration").asInt()) : Optional.empty(),
                operation,
                image,
                text(r, "mask").map(MediaSource::fromWire),
                text(r, "webhook_url").map(URI::create),
                text(r, "metadata"),
                text(r, "resolution"),
                webhookEvents(r.path("webhook_events")),
                r.has("cancel_after_seconds")
                        ? Optional.of(java.time.Duration.ofSeconds(r.path("cancel_after_seconds").asLong()))
                        : Optional.empty(),
                training(r.path("training")),
                r.has("weights") ? Optional.of(new TrainedWeights(r.path("weights").path("model").asText(),
                        r.path("weights").path("key").asText(), r.path("weights").path("scale").asDouble(
                                TrainedWeights.DEFAULT_SCALE))) : Optional.empty());
    }

    /** A document written before jobs had a price costs nothing. */
    private static JobCost cost(JsonNode node) {
        if (node.isMissingNode()) {
            return JobCost.free();
        }
        Map<String, Long> prices = new LinkedHashMap<>();
        node.path("prices").fields().forEachRemaining(e -> prices.put(e.getKey(), e.getValue().asLong()));
        return new JobCost(prices, node.path("in_key_budget").asBoolean(false));
    }

    static TenantTerms terms(JsonNode node) {
        if (node.isMissingNode()) {
            return TenantTerms.none();
        }
        Map<String, Integer> dedicated = new LinkedHashMap<>();
        node.path("dedicated").fields().forEachRemaining(e -> dedicated.put(e.getKey(), e.getValue().asInt()));
        return new TenantTerms(node.path("limits").asText("{}"), dedicated, node.path("version").asLong());
    }

    static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }

    private static Optional<Integer> integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asInt());
    }
}
