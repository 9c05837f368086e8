package run.creativeai.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.WebhookEventKind;
import run.creativeai.gateway.media.MediaSource;
import run.creativeai.gateway.model.Operation;
import run.creativeai.gateway.workflow.WorkflowGraph;

/**
 * Reads and checks a {@code POST /v1/workflows} body whole, before anything of it is admitted:
 * {@code {"steps":[{"id","operation", ...the fields of a generation request}], "webhook_url"?,
 * "webhook_events_filter"?, "metadata"?}}. Each step is checked by the generation request's own
 * parser, so its errors read as a job's would, named {@code steps[i].field}; an {@code image} or
 * {@code mask} may instead be a reference {@code {{step.outputs[N]}}} to another step's output. The
 * graph they make is checked by {@link WorkflowGraph}: unknown or self references, duplicate ids,
 * cycles, and more than {@link WorkflowGraph#MAX_STEPS} steps are each a 400 naming the step and field.
 */
public final class WorkflowRequestParser {
    private static final Set<String> FIELDS = Set.of("steps", "webhook_url", "webhook_events_filter", "metadata");
    private static final List<String> INPUT_FIELDS = List.of("image", "image_url", "mask");
    /** Stands in for a reference while the step is checked as a generation request; never stored. */
    private static final String PLACEHOLDER = "upl_00000000000000000000000000";

    private final GenerationRequestParser generations;

    public WorkflowRequestParser(GenerationRequestParser generations) {
        this.generations = generations;
    }

    public Parsed<WorkflowRequest> parse(byte[] body) {
        Parsed<JsonNode> json = JsonBody.object(body);
        if (json instanceof Parsed.Invalid<JsonNode> invalid) {
            return Parsed.invalid(invalid.error());
        }
        JsonNode root = ((Parsed.Valid<JsonNode>) json).value();
        for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                return invalid(GenerationRequestParser.clip(field), "unknown field '" + GenerationRequestParser.clip(field)
                        + "' for a workflow; allowed fields are " + String.join(", ", FIELDS.stream().sorted().toList()));
            }
            Optional<String> text = RequestText.problem(field, root.get(field));
            if (text.isPresent() && !field.equals("steps")) {
                return invalid(field, text.get());
            }
        }
        JsonNode steps = root.get("steps");
        if (steps == null || !steps.isArray() || steps.isEmpty()) {
            return invalid("steps", "steps must be a non-empty array of workflow steps, each {\"id\",\"operation\", ...}");
        }
        if (steps.size() > WorkflowGraph.MAX_STEPS) {
            return invalid("steps", "a workflow has at most " + WorkflowGraph.MAX_STEPS + " steps, not " + steps.size());
        }
        List<WorkflowRequest.Step> parsed = new ArrayList<>();
        List<WorkflowGraph.Node> nodes = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Parsed<WorkflowRequest.Step> step = step(i, steps.get(i), nodes);
            if (step instanceof Parsed.Invalid<WorkflowRequest.Step> bad) {
                return Parsed.invalid(bad.error());
            }
            parsed.add(((Parsed.Valid<WorkflowRequest.Step>) step).value());
        }
        Optional<WorkflowGraph.Problem> problem = WorkflowGraph.problem(nodes);
        if (problem.isPresent()) {
            WorkflowGraph.Problem p = problem.get();
            if (p.index() < 0) {
                return invalid(p.field(), p.message());
            }
            return Parsed.invalid(inStep(p.index(), nodes.get(p.index()).id(), ApiError.invalidField(p.field(), p.message())));
        }

        Optional<URI> webhook = Optional.empty();
        JsonNode webhookNode = root.get("webhook_url");
        if (webhookNode != null && !webhookNode.isNull()) {
            Parsed<URI> url = generations.webhookUrl("webhook_url", webhookNode);
            if (url instanceof Parsed.Invalid<URI> bad) {
                return Parsed.invalid(bad.error());
            }
            webhook = Optional.of(((Parsed.Valid<URI>) url).value());
        }
        Parsed<Set<WebhookEventKind>> events = GenerationRequestParser.webhookEvents(root.get("webhook_events_filter"),
                webhook.isPresent());
        if (events instanceof Parsed.Invalid<Set<WebhookEventKind>> bad) {
            return Parsed.invalid(bad.error());
        }
        Parsed<Optional<String>> metadata = GenerationRequestParser.metadata(root.get("metadata"));
        if (metadata instanceof Parsed.Invalid<Optional<String>> bad) {
            return Parsed.invalid(bad.error());
        }
        return Parsed.valid(new WorkflowRequest(parsed, webhook, ((Parsed.Valid<Set<WebhookEventKind>>) events).value(),
                ((Parsed.Valid<Optional<String>>) metadata).value()));
    }

    /** One step, checked as the generation request it is once its references stand for uploads; its node added. */
    private Parsed<WorkflowRequest.Step> step(int i, JsonNode node, List<WorkflowGraph.Node> nodes) {
        String where = "steps[" + i + "]";
        if (!node.isObject()) {
            return invalid(where, where + " must be a JSON object: {\"id\",\"operation\", ...the fields of a generation}");
        }
        JsonNode idNode = node.get("id");
        if (idNode == null || !idNode.isTextual() || !MediaSource.StepOutput.STEP_ID.matcher(idNode.asText()).matches()) {
            return invalid(where + ".id", where + ".id is required: 1 to 40 of a-z, 0-9, _ and -, unique in the workflow");
        }
        String id = idNode.asText();
        JsonNode operationNode = node.get("operation");
        Optional<Operation> operation = operationNode != null && operationNode.isTextual()
                ? Operation.fromWire(operationNode.asText()) : Optional.empty();
        if (operation.isEmpty()) {
            return invalid(where + ".operation", where + ".operation is required in a workflow step, one of "
                    + String.join(", ", java.util.Arrays.stream(Operation.values()).map(Operation::wireName).toList()));
        }
        ObjectNode fields = ((ObjectNode) node).deepCopy();
        fields.remove("id");
        Map<String, MediaSource.StepOutput> references = new LinkedHashMap<>();
        for (String field : INPUT_FIELDS) {
            JsonNode value = fields.get(field);
            if (value != null && value.isTextual() && value.asText().contains("{{")) {
                Optional<MediaSource.StepOutput> ref = MediaSource.StepOutput.parse(value.asText());
                if (ref.isEmpty()) {
                    return invalid(where + "." + field, where + "." + field + " '" + GenerationRequestParser.clip(
                            value.asText()) + "' is not a reference; write {{step_id.outputs[N]}}, N counting from 0");
                }
                references.put(field, ref.get());
                fields.put(field, PLACEHOLDER);
            }
        }
        Parsed<GenerationRequest> request = generations.parse(operation.get().kind(), fields);
        if (request instanceof Parsed.Invalid<GenerationRequest> bad) {
            return Parsed.invalid(inStep(i, id, bad.error()));
        }
        GenerationRequest valid = ((Parsed.Valid<GenerationRequest>) request).value();
        Optional<MediaSource> image = Optional.ofNullable(references.getOrDefault("image", references.get("image_url")))
                .<MediaSource>map(r -> r).or(valid::image);
        Optional<MediaSource> mask = Optional.ofNullable(references.get("mask")).<MediaSource>map(r -> r).or(valid::mask);
        nodes.add(new WorkflowGraph.Node(id, references, valid.kind(), valid.n()));
        return Parsed.valid(new WorkflowRequest.Step(id, valid.withInputs(image, mask)));
    }

    /**
     * An error of one step's field as the workflow's: its param {@code steps[i].field}, and its message
     * naming that param and the step's id, so it reads as the same error on a job would.
     */
    public static ApiError inStep(int index, String stepId, ApiError error) {
        String where = "steps[" + index + "]";
        String param = error.param().map(p -> where + "." + p).orElse(where);
        String message = error.param().filter(p -> error.message().startsWith(p)).map(p -> where + "." + error.message())
                .orElse(param + ": " + error.message());
        return new ApiError(error.status(), error.type(), error.code(), message + " (step '" + stepId + "')",
                Optional.of(param));
    }

    private static <T> Parsed<T> invalid(String field, String message) {
        return Parsed.invalid(ApiError.invalidField(field, message));
    }
}
