package run.creativeai.gateway.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.WorkflowId;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.plan.Tier;

/** The bodies of the dispatcher's messages, written and read in this one place. */
public final class DispatchMessages {
    private DispatchMessages() {
    }

    /** A job to start, on its tier's queue. */
    public static String start(JobId id) {
        return Json.write(Json.object().put("job_id", id.value()));
    }

    /** A job the customer cancelled: the dispatcher stops its work at the provider and frees its slots. */
    public static String canceled(JobId id) {
        return Json.write(Json.object().put("job_id", id.value()).put("canceled", true));
    }

    /** A job whose {@code Cancel-After} deadline may have passed; on the progress queue, delayed until it does. */
    public static String deadline(JobId id) {
        return Json.write(Json.object().put("job_id", id.value()).put("deadline", true));
    }

    /** A job whose next step was lost in a crash, sent by the reconciler; on the progress queue. */
    public static String resume(JobId id) {
        return Json.write(Json.object().put("job_id", id.value()).put("resume", true));
    }

    /** A workflow to move on ({@code WorkflowRunner}): a step of it ended, it was made, or it waits for a window. */
    public static String advance(WorkflowId id) {
        return Json.write(Json.object().put("workflow_id", id.value()));
    }

    public static String progress(ProgressCheck check) {
        var body = Json.object()
                .put("job_id", check.jobId().value())
                .put("attempt", check.attempt())
                .put("check", check.check());
        if (check.copyFailures() > 0) {
            body.put("copy_failures", check.copyFailures());
        }
        return Json.write(body);
    }

    /**
     * A probe of the status monitor on a tier's queue: when it reaches the dispatcher, the queue is
     * known to move (see {@code QueueProbes}); it is no job and starts nothing.
     */
    public static String probe(Tier tier, Instant sentAt) {
        return Json.write(Json.object().put("probe", tier.wireName()).put("sent_at", sentAt.toString()));
    }

    /** Reads any kind; empty for a body that is not one of ours (it is reported, then dropped). */
    public static Optional<DispatchMessage> read(String body) {
        JsonNode node;
        try {
            node = Json.tree(body);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (node == null || !node.isObject()) {
            return Optional.empty();
        }
        if (node.has("probe")) {
            try {
                return Optional.of(new DispatchMessage.Probe(Tier.fromWire(node.path("probe").asText()),
                        Instant.parse(node.path("sent_at").asText())));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
        if (node.has("workflow_id")) {
            return WorkflowId.parse(node.path("workflow_id").asText(null)).map(DispatchMessage.Advance::new);
        }
        Optional<JobId> id = JobId.parse(node.path("job_id").asText(null));
        if (id.isEmpty()) {
            return Optional.empty();
        }
        if (node.path("canceled").asBoolean(false)) {
            return Optional.of(new DispatchMessage.Canceled(id.get()));
        }
        if (node.path("deadline").asBoolean(false)) {
            return Optional.of(new DispatchMessage.Deadline(id.get()));
        }
        if (node.path("resume").asBoolean(false)) {
            return Optional.of(new DispatchMessage.Resume(id.get()));
        }
        if (!node.has("attempt")) {
            return Optional.of(new DispatchMessage.Start(id.get()));
        }
        int attempt = node.path("attempt").asInt(0);
        int check = node.path("check").asInt(0);
        int copyFailures = node.path("copy_failures").asInt(0);
        if (attempt < 1 || check < ProgressCheck.ANNOUNCED || copyFailures < 0) {
            return Optional.empty();
        }
        return Optional.of(new DispatchMessage.Progress(new ProgressCheck(id.get(), attempt, check, copyFailures)));
    }

    /** What the dispatcher is asked to do. */
    public sealed interface DispatchMessage permits DispatchMessage.Start, DispatchMessage.Progress,
            DispatchMessage.Canceled, DispatchMessage.Resume, DispatchMessage.Deadline, DispatchMessage.Probe,
            DispatchMessage.Advance {
        record Start(JobId jobId) implements DispatchMessage {
        }

        record Progress(ProgressCheck check) implements DispatchMessage {
        }

        record Canceled(JobId jobId) implements DispatchMessage {
        }

        record Resume(JobId jobId) implements DispatchMessage {
        }

        record Deadline(JobId jobId) implements DispatchMessage {
        }

        record Probe(Tier tier, Instant sentAt) implements DispatchMessage {
        }

        record Advance(WorkflowId workflowId) implements DispatchMessage {
        }
    }
}
