package run.creativeai.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A workflow as the API shows it ({@code GET /v1/workflows/{id}}, a create's answer, a webhook's
 * {@code data}): its status, why it failed, and each step with the generation it ran as. The fields a
 * client acts on are typed; {@link #json()} holds the rest.
 *
 * @param failure  which step failed, and why, for a failed workflow (code {@code deadline_exceeded} when
 *                 its {@code Cancel-After} passed first)
 * @param replayed whether the answer was the replay of an earlier create with the same {@code Idempotency-Key}
 */
public record Workflow(String id, WorkflowStatus status, List<Step> steps, Optional<Generation.Failure> failure,
        Optional<Instant> createdAt, Optional<Instant> startedAt, Optional<Instant> finishedAt, boolean replayed,
        JsonNode json) {

    /**
     * A step: {@code status} is {@code waiting} before it is admitted, {@code skipped} when the workflow
     * ended first, else its generation's; {@code generationId} names that generation once admitted.
     */
    public record Step(String id, String operation, String model, List<String> dependsOn, Optional<String> generationId,
            String status, List<Output> outputs, Optional<Generation.Failure> failure) {
    }

    /** A workflow from its JSON, e.g. a verified webhook event's {@code data}. */
    public static Workflow fromJson(JsonNode node) {
        return of(node, false);
    }

    static Workflow of(JsonNode node, boolean replayed) {
        List<Step> steps = new ArrayList<>();
        for (JsonNode step : node.path("steps")) {
            steps.add(new Step(Json.text(step, "id", ""), Json.text(step, "operation", ""), Json.text(step, "model", ""),
                    Json.texts(step, "depends_on"), Json.text(step, "job_id"), Json.text(step, "status", ""),
                    Output.all(step), Generation.failure(step)));
        }
        return new Workflow(Json.text(node, "id", ""), WorkflowStatus.fromWire(Json.text(node, "status", "")),
                List.copyOf(steps), Generation.failure(node), Json.instant(node, "created_at"),
                Json.instant(node, "started_at"), Json.instant(node, "finished_at"), replayed, node);
    }

    public boolean isTerminal() {
        return status.isTerminal();
    }

    /** The step of that id. */
    public Optional<Step> step(String stepId) {
        return steps.stream().filter(s -> s.id().equals(stepId)).findFirst();
    }

    /** The create's {@code Cancel-After}: the whole workflow must end within it; empty without one. */
    public Optional<Duration> cancelAfter() {
        return Json.number(json, "cancel_after").stream().mapToObj(Duration::ofSeconds).findFirst();
    }

    /** When its {@code Cancel-After} passes (the create plus the deadline); empty without one. */
    public Optional<Instant> deadline() {
        return Json.instant(json, "deadline");
    }
}
