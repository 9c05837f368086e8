package run.creativeai.gateway.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobView;
import run.creativeai.gateway.job.OutputLinks;
import run.creativeai.gateway.json.Json;

/**
 * A workflow as the API and its webhook show it: its status, and each step's job id, status and
 * outputs (with download links signed afresh, as a job's). A step not admitted yet is
 * {@code waiting}; one a failed or cancelled workflow never started is {@code skipped}.
 */
public final class WorkflowView {
    private WorkflowView() {
    }

    public static ObjectNode of(Workflow workflow, Map<String, Optional<Job>> states, OutputLinks links, Instant now) {
        ObjectNode view = withoutDeliveries(workflow, states, links, now);
        workflow.webhookUrl().ifPresent(url -> JobView.webhook(view, url, workflow.webhookEvents(),
                workflow.webhookAttempts()));
        return view;
    }

    /** The workflow without its webhook's record: the data of its webhook event. */
    public static ObjectNode withoutDeliveries(Workflow workflow, Map<String, Optional<Job>> states, OutputLinks links,
            Instant now) {
        ObjectNode view = Json.object()
                .put("id", workflow.id().value())
                .put("object", "workflow")
                .put("status", workflow.status().wireName())
                .put("created_at", workflow.createdAt().toString());
        workflow.startedAt().ifPresent(t -> view.put("started_at", t.toString()));
        workflow.finishedAt().ifPresent(t -> view.put("finished_at", t.toString()));
        JobView.deadline(view, workflow.cancelAfter(), workflow.deadline());
        workflow.error().ifPresent(e -> view.putObject("error").put("code", e.code()).put("message", e.message()));
        workflow.metadataJson().ifPresent(m -> view.set("metadata", Json.read(m)));
        ArrayNode steps = view.putArray("steps");
        for (WorkflowStep step : workflow.steps()) {
            Optional<Job> job = states.getOrDefault(step.id(), Optional.empty());
            ObjectNode node = steps.addObject().put("id", step.id())
                    .put("operation", step.request().operation().wireName())
                    .put("model", step.request().model());
            ArrayNode dependsOn = node.putArray("depends_on");
            step.dependencies().forEach(dependsOn::add);
            if (job.isPresent()) {
                ObjectNode jobView = JobView.withoutDeliveries(job.get(), links, now);
                node.put("job_id", job.get().id().value()).put("status", job.get().status().wireName());
                node.set("outputs", jobView.path("outputs").isMissingNode() ? Json.array()
                        : jobView.get("outputs"));
                JsonNode error = jobView.get("error");
                if (error != null && !error.isNull()) {
                    node.set("error", error);
                }
            } else {
                node.putNull("job_id").put("status", workflow.status().isTerminal() ? "skipped" : "waiting");
                node.putArray("outputs");
            }
        }
        return view;
    }
}
