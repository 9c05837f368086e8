package run.creativeai.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A generation job as the API shows it ({@code GET /v1/generations/{id}}, a create's answer, a webhook's
 * {@code data}), or a training, which the API shows as the same job ({@code kind} {@code training}).
 * The fields a client acts on are typed; {@link #json()} holds the rest (attempts, timings, webhook
 * deliveries, fields added later).
 *
 * @param replayed whether the answer was the replay of an earlier create with the same {@code Idempotency-Key}
 */
public record Generation(String id, String kind, GenerationStatus status, String model, Optional<String> modelActual,
        boolean failoverUsed, List<Output> outputs, Optional<Failure> failure, Cost cost, Optional<Instant> createdAt,
        Optional<Instant> startedAt, Optional<Instant> finishedAt, boolean replayed, JsonNode json) {

    /** Why a generation failed, in the API's words. */
    public record Failure(String code, String message) {
    }

    /** What the job costs in credits: reserved at admission, charged and refunded once it is settled. */
    public record Cost(OptionalLong reserved, OptionalLong charged, OptionalLong refunded) {
    }

    /** A generation from its JSON, e.g. a verified webhook event's {@code data}. */
    public static Generation fromJson(JsonNode node) {
        return of(node, false);
    }

    static Generation of(JsonNode node, boolean replayed) {
        Optional<Failure> failure = failure(node);
        JsonNode cost = node.path("cost");
        return new Generation(Json.text(node, "id", ""), Json.text(node, "kind", ""),
                GenerationStatus.fromWire(Json.text(node, "status", "")), Json.text(node, "model", ""),
                Json.text(node, "model_actual"), node.path("failover_used").asBoolean(false), Output.all(node), failure,
                new Cost(Json.number(cost, "reserved"), Json.number(cost, "charged"), Json.number(cost, "refunded")),
                Json.instant(node, "created_at"), Json.instant(node, "started_at"), Json.instant(node, "finished_at"),
                replayed, node);
    }

    /** The {@code error} of a job, a workflow or a workflow's step; empty without one. */
    static Optional<Failure> failure(JsonNode node) {
        JsonNode error = node.path("error");
        return error.isObject() ? Optional.of(new Failure(Json.text(error, "code", ""), Json.text(error, "message", "")))
                : Optional.empty();
    }

    public boolean isTerminal() {
        return status.isTerminal();
    }

    /** The model a succeeded training made ({@code ft_...}), to name in a generation request; empty otherwise. */
    public Optional<String> fineTunedModel() {
        return Json.text(json, "fine_tuned_model");
    }

    /** When its {@code Cancel-After} deadline passes (admission plus the deadline); empty without one. */
    public Optional<Instant> deadline() {
        return Json.instant(json, "deadline");
    }
}
