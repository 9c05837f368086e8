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
import run.creativeai.gateway.job.JobError;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.WebhookAttempt;
import run.creativeai.gateway.job.WebhookEventKind;
import run.creativeai.gateway.job.WorkflowId;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.workflow.Workflow;
import run.creativeai.gateway.workflow.WorkflowStatus;
import run.creativeai.gateway.workflow.WorkflowStep;

/**
 * The explicit mapping of a {@link Workflow} to the JSON document its item keeps, its steps' requests
 * written as a job's are ({@link JobDocument}). Its schema version is field {@code v}.
 */
final class WorkflowDocument {
    private static final int SCHEMA = 1;

    private WorkflowDocument() {
    }

    static String write(Workflow w) {
        ObjectNode doc = Json.object()
                .put("v", SCHEMA)
                .put("id", w.id().value())
                .put("tenant_id", w.tenantId().value())
                .put("key_id", w.keyId().value())
                .put("plan", w.plan())
                .put("status", w.status().wireName())
                .put("version", w.version())
                .put("created_at", w.createdAt().toString());
        JobDocument.writeTerms(doc, w.terms());
        w.maxCreditsPerDay().ifPresent(v -> doc.put("max_credits_per_day", v));
        ArrayNode steps = doc.putArray("steps");
        for (WorkflowStep step : w.steps()) {
            ObjectNode node = steps.addObject().put("id", step.id()).put("job_id", step.jobId().value());
            JobDocument.writeRequest(node.putObject("request"), step.request());
        }
        w.webhookUrl().ifPresent(u -> doc.put("webhook_url", u.toString()));
        ArrayNode events = doc.putArray("webhook_events");
        w.webhookEvents().forEach(e -> events.add(e.wireName()));
        w.metadataJson().ifPresent(m -> doc.put("metadata", m));
        ObjectNode claims = doc.putObject("claims");
        w.claims().forEach((step, at) -> claims.put(step, at.toString()));
        w.error().ifPresent(e -> doc.putObject("error").put("code", e.code()).put("message", e.message()));
        w.startedAt().ifPresent(t -> doc.put("started_at", t.toString()));
        w.finishedAt().ifPresent(t -> doc.put("finished_at", t.toString()));
        ArrayNode deliveries = doc.putArray("webhook_attempts");
        w.webhookAttempts().forEach(a -> deliveries.add(WebhookAttemptJson.write(a)));
        return Json.write(doc);
    }

    static Workflow read(String json) {
        JsonNode doc = Json.read(json);
        if (doc.path("v").asInt() != SCHEMA) {
            throw new IllegalStateException("workflow document schema " + doc.path("v").asInt() + " is not readable here");
        }
        List<WorkflowStep> steps = new ArrayList<>();
        for (JsonNode s : doc.path("steps")) {
            steps.add(new WorkflowStep(s.path("id").asText(), JobDocument.readRequest(s.path("request")),
                    new JobId(s.path("job_id").asText())));
        }
        Set<WebhookEventKind> events = new HashSet<>();
        doc.path("webhook_events").forEach(e -> WebhookEventKind.fromWire(e.asText()).ifPresent(events::add));
        Map<String, Instant> claims = new LinkedHashMap<>();
        doc.path("claims").fields().forEachRemaining(e -> claims.put(e.getKey(), Instant.parse(e.getValue().asText())));
        List<WebhookAttempt> deliveries = new ArrayList<>();
        doc.path("webhook_attempts").forEach(a -> deliveries.add(WebhookAttemptJson.read(a)));
        return new Workflow(
                new WorkflowId(doc.path("id").asText()),
                new TenantId(doc.path("tenant_id").asText()),
                new KeyId(doc.path("key_id").asText()),
                doc.path("plan").asText(),
                JobDocument.terms(doc.path("terms")),
                doc.has("max_credits_per_day") ? Optional.of(doc.path("max_credits_per_day").asLong()) : Optional.empty(),
                steps,
                WorkflowStatus.fromWire(doc.path("status").asText()),
                JobDocument.text(doc, "webhook_url").map(URI::create),
                events.isEmpty() ? WebhookEventKind.DEFAULT : events,
                JobDocument.text(doc, "metadata"),
                claims,
                doc.has("error") ? Optional.of(new JobError(doc.path("error").path("code").asText(),
                        doc.path("error").path("message").asText())) : Optional.empty(),
                Instant.parse(doc.path("created_at").asText()),
                JobDocument.text(doc, "started_at").map(Instant::parse),
                JobDocument.text(doc, "finished_at").map(Instant::parse),
                deliveries,
                doc.path("version").asLong());
    }
}
