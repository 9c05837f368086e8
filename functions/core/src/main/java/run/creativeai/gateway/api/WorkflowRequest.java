package run.creativeai.gateway.api;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.WebhookEventKind;

/**
 * A {@code POST /v1/workflows} body that passed every check: its steps in the order given, each a
 * generation request whose inputs may name earlier steps' outputs, and the workflow's own webhook.
 */
public record WorkflowRequest(List<Step> steps, Optional<URI> webhookUrl, Set<WebhookEventKind> webhookEvents,
        Optional<String> metadataJson) {

    public WorkflowRequest {
        steps = List.copyOf(steps);
    }

    public record Step(String id, GenerationRequest request) {
    }

    /** The same workflow with step {@code index}'s request replaced (its inputs checked). */
    public WorkflowRequest withStep(int index, GenerationRequest request) {
        java.util.ArrayList<Step> next = new java.util.ArrayList<>(steps);
        next.set(index, new Step(steps.get(index).id(), request));
        return new WorkflowRequest(next, webhookUrl, webhookEvents, metadataJson);
    }
}
