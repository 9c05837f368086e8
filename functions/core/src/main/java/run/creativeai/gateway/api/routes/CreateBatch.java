package run.creativeai.gateway.api.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.admission.AdmissionService;
import run.creativeai.gateway.api.AdmissionReplies;
import run.creativeai.gateway.api.ApiError;
import run.creativeai.gateway.api.ApiRequest;
import run.creativeai.gateway.api.ApiResponse;
import run.creativeai.gateway.api.GatewayApi;
import run.creativeai.gateway.api.GenerationInputs;
import run.creativeai.gateway.api.GenerationRequestParser;
import run.creativeai.gateway.api.Parsed;
import run.creativeai.gateway.api.RateLimitResponses;
import run.creativeai.gateway.api.Reply;
import run.creativeai.gateway.api.Route;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.model.JobKind;

/**
 * {@code POST /v1/generations/batch}, seed 002's batch endpoint:
 * {@code {"tasks":[{"kind":"image"|"video", ...the fields of that route}]}}. Each task is admitted or
 * refused on its own, in order, and answered with one result as its own route would answer it
 * ({@code status} plus the job, or the error body); the response carries the limit headers (and the
 * queue depth) of the last task a limit was counted for. A {@code Cancel-After} header sets the same
 * deadline on every task, each measured from its own admission.
 */
public final class CreateBatch implements Route {
    /** At most this many tasks in one batch. */
    public static final int MAX_TASKS = 100;
    private static final Set<String> KINDS = Set.of(JobKind.IMAGE.wireName(), JobKind.VIDEO.wireName());

    private final GenerationRequestParser parser;
    private final GenerationInputs inputs;
    private final AdmissionService admissions;
    private final AdmissionReplies replies;

    public CreateBatch(GenerationRequestParser parser, GenerationInputs inputs, AdmissionService admissions,
            AdmissionReplies replies) {
        this.parser = parser;
        this.inputs = inputs;
        this.admissions = admissions;
        this.replies = replies;
    }

    @Override
    public String key() {
        return GatewayApi.CREATE_BATCH;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Principal principal) {
        Parsed<Optional<Duration>> cancelAfter = CreateChecks.deadline(request, principal);
        if (cancelAfter instanceof Parsed.Invalid<Optional<Duration>> invalid) {
            return invalid.error().toResponse();
        }
        Optional<Duration> deadline = ((Parsed.Valid<Optional<Duration>>) cancelAfter).value();
        Parsed<JsonNode> body = GenerationRequestParser.object(request.body());
        if (body instanceof Parsed.Invalid<JsonNode> invalid) {
            return invalid.error().toResponse();
        }
        JsonNode root = ((Parsed.Valid<JsonNode>) body).value();
        JsonNode tasks = root.get("tasks");
        if (tasks == null || !tasks.isArray() || tasks.isEmpty()) {
            return ApiError.invalidField("tasks", "tasks must be a non-empty array of generation requests").toResponse();
        }
        if (tasks.size() > MAX_TASKS) {
            return ApiError.invalidField("tasks", "tasks may hold at most " + MAX_TASKS + " requests, not "
                    + tasks.size()).toResponse();
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!field.equals("tasks")) {
                return ApiError.invalidField(field, "unknown field '" + field + "'; a batch has only tasks")
                        .toResponse();
            }
        }
        ObjectNode out = Json.object().put("object", "batch");
        ArrayNode results = out.putArray("results");
        Map<String, String> limitHeaders = new LinkedHashMap<>();
        int admitted = 0;
        for (int i = 0; i < tasks.size(); i++) {
            Reply reply = task(principal, tasks.get(i), "tasks[" + i + "]", deadline);
            ObjectNode result = results.addObject().put("index", i).put("status", reply.status());
            if (reply.status() == 202) {
                admitted++;
                result.set("job", reply.body());
            } else {
                result.setAll(reply.body());
            }
            Map<String, String> counted = new LinkedHashMap<>();
            reply.headers().forEach((name, value) -> {
                if (RateLimitResponses.isRateLimitHeader(name) || name.equals(AdmissionReplies.QUEUE_DEPTH)) {
                    counted.put(name, value);
                }
            });
            if (!counted.isEmpty()) {
                limitHeaders = counted;
            }
        }
        out.put("admitted", admitted).put("refused", tasks.size() - admitted);
        return new Reply(200, limitHeaders, out).toResponse();
    }

    private Reply task(Principal principal, JsonNode task, String where, Optional<Duration> deadline) {
        if (!task.isObject()) {
            return Reply.of(ApiError.invalidField(where, where + " must be a JSON object"));
        }
        JsonNode kind = task.get("kind");
        if (kind == null || !kind.isTextual() || !KINDS.contains(kind.asText())) {
            return Reply.of(ApiError.invalidField(where + ".kind", where + ".kind must be \"image\" or \"video\""));
        }
        ObjectNode fields = ((ObjectNode) task).deepCopy();
        fields.remove("kind");
        Parsed<GenerationRequest> parsed = parser.parse(JobKind.fromWire(kind.asText()), fields);
        if (parsed instanceof Parsed.Valid<GenerationRequest> valid) {
            parsed = Parsed.valid(valid.value().withCancelAfter(deadline));
        }
        if (parsed instanceof Parsed.Valid<GenerationRequest> valid) {
            parsed = inputs.check(principal.tenantId(), valid.value());
        }
        if (parsed instanceof Parsed.Invalid<GenerationRequest> invalid) {
            ApiError error = invalid.error();
            return Reply.of(new ApiError(error.status(), error.type(), error.code(), where + ": " + error.message(),
                    Optional.of(error.param().map(p -> where + "." + p).orElse(where))));
        }
        return replies.reply(principal, admissions.admit(principal, ((Parsed.Valid<GenerationRequest>) parsed).value()));
    }
}
