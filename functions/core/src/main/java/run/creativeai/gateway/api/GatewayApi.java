package run.creativeai.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.admission.AdmissionResult;
import run.creativeai.gateway.admission.AdmissionService;
import run.creativeai.gateway.concurrency.TenantConcurrency;
import run.creativeai.gateway.dispatch.JobCancellation;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.JobKind;
import run.creativeai.gateway.job.JobStore;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.limits.AdmissionDecision;
import run.creativeai.gateway.limits.LimitState;
import run.creativeai.gateway.limits.LimiterBusyException;
import run.creativeai.gateway.model.Model;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.tenant.Authentication;
import run.creativeai.gateway.tenant.Authenticator;
import run.creativeai.gateway.tenant.Principal;
import run.creativeai.gateway.tenant.TenantStanding;
import run.creativeai.gateway.webhook.WebhookRedelivery;

/**
 * The v1 HTTP API: one method per route of template.yaml, each taking an {@link ApiRequest} and
 * returning an {@link ApiResponse}. Every response carries the request id, its duration and the
 * region; anything unexpected becomes a 500 that names the request id and nothing internal.
 */
public final class GatewayApi {
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** Seed 002's batch endpoint: at most this many tasks, each admitted or refused on its own. */
    public static final int MAX_BATCH_TASKS = 100;

    /** The route keys of the v1 API; template.yaml declares exactly these for the ingress function. */
    public static final String CREATE_IMAGE = "POST /v1/images/generations";
    public static final String CREATE_VIDEO = "POST /v1/video/generations";
    public static final String CREATE_BATCH = "POST /v1/generations/batch";
    public static final String GET_GENERATION = "GET /v1/generations/{id}";
    public static final String CANCEL_GENERATION = "DELETE /v1/generations/{id}";
    public static final String GET_QUOTA = "GET /v1/quota";
    public static final String LIST_MODELS = "GET /v1/models";
    public static final String REDELIVER_WEBHOOK = "POST /v1/generations/{id}/webhook";
    public static final java.util.Set<String> ROUTE_KEYS = java.util.Set.of(CREATE_IMAGE, CREATE_VIDEO, CREATE_BATCH,
            GET_GENERATION, CANCEL_GENERATION, GET_QUOTA, LIST_MODELS, REDELIVER_WEBHOOK);
    private static final Logger LOG = LoggerFactory.getLogger(GatewayApi.class);

    private final Authenticator authenticator;
    private final GenerationRequestParser parser;
    private final AdmissionService admissions;
    private final TenantConcurrency concurrency;
    private final JobStore jobs;
    private final ModelCatalog models;
    private final Clock clock;
    private final String region;
    private final WebhookRedelivery redeliveries;
    private final JobCancellation cancellation;
    private final JobWait waits;
    private final IdempotentRequests idempotency;
    private final Map<String, Route> routes = new LinkedHashMap<>();

    public GatewayApi(Authenticator authenticator, GenerationRequestParser parser, AdmissionService admissions,
            TenantConcurrency concurrency, JobStore jobs, ModelCatalog models, Clock clock, String region,
            WebhookRedelivery redeliveries, JobCancellation cancellation, JobWait waits,
            IdempotentRequests idempotency) {
        this.authenticator = authenticator;
        this.parser = parser;
        this.admissions = admissions;
        this.concurrency = concurrency;
        this.jobs = jobs;
        this.models = models;
        this.clock = clock;
        this.region = region;
        this.redeliveries = redeliveries;
        this.cancellation = cancellation;
        this.waits = waits;
        this.idempotency = idempotency;
        routes.put(CREATE_IMAGE, idempotent((r, p) -> create(r, p, JobKind.IMAGE)));
        routes.put(CREATE_VIDEO, idempotent((r, p) -> create(r, p, JobKind.VIDEO)));
        routes.put(CREATE_BATCH, idempotent(this::batch));
        routes.put(GET_GENERATION, this::status);
        routes.put(CANCEL_GENERATION, this::cancel);
        routes.put(GET_QUOTA, this::quota);
        routes.put(LIST_MODELS, (r, p) -> listModels());
        routes.put(REDELIVER_WEBHOOK, idempotent(this::redeliverWebhook));
        if (!routes.keySet().equals(ROUTE_KEYS)) {
            throw new IllegalStateException("every route key has exactly one operation");
        }
    }

    public ApiResponse handle(ApiRequest request) {
        ApiResponse response;
        try {
            response = dispatch(request);
        } catch (LimiterBusyException e) {
            LOG.warn("request {} on {}: {}", request.requestId(), request.routeKey(), e.getMessage());
            response = ApiError.serviceUnavailable("too many requests are racing for the same limits; retry in a second")
                    .toResponse().withHeaders(Map.of("Retry-After", "1"));
        } catch (RuntimeException e) {
            LOG.error("request {} on {} failed", request.requestId(), request.routeKey(), e);
            response = ApiError.internal(request.requestId()).toResponse();
        }
        return withCommonHeaders(request, response);
    }

    /** Answers a request whose transport encoding could not even be read (a body that is not the base64 it claims). */
    public ApiResponse refuse(ApiRequest request, ApiError error) {
        return withCommonHeaders(request, error.toResponse());
    }

    private ApiResponse withCommonHeaders(ApiRequest request, ApiResponse response) {
        Map<String, String> common = new LinkedHashMap<>();
        common.put("X-Request-Id", request.requestId());
        common.put("X-Request-Duration",
                Math.max(0, Duration.between(request.receivedAt(), clock.instant()).toMillis()) + "ms");
        common.put("X-Region", region);
        return response.withHeaders(common);
    }

    private ApiResponse dispatch(ApiRequest request) {
        Route route = routes.get(request.routeKey());
        if (route == null) {
            return ApiError.notFound("no route " + request.routeKey()).toResponse();
        }
        // Authentication first: an anonymous caller learns nothing about a route but 401.
        Authentication authentication = authenticator.authenticate(request.header("authorization"));
        if (authentication instanceof Authentication.Rejected rejected) {
            return ApiError.unauthorized(rejected.reason()).toResponse()
                    .withHeaders(Map.of("WWW-Authenticate", "Bearer"));
        }
        if (request.body().length > MAX_BODY_BYTES) {
            return ApiError.tooLarge(MAX_BODY_BYTES).toResponse();
        }
        return route.handle(request, ((Authentication.Authenticated) authentication).principal());
    }

    private ApiResponse create(ApiRequest request, Principal principal, JobKind kind) {
        if (principal.standing() == TenantStanding.PAYMENT_REQUIRED) {
            return ApiError.paymentRequired().toResponse();
        }
        // Video jobs run for minutes: only image creation honours Prefer: wait.
        Parsed<Optional<Duration>> wait = kind == JobKind.IMAGE ? WaitPreference.parse(request.header("prefer"))
                : Parsed.valid(Optional.empty());
        if (wait instanceof Parsed.Invalid<Optional<Duration>> invalid) {
            return invalid.error().toResponse();
        }
        Parsed<GenerationRequest> parsed = parser.parse(kind, request.body());
        if (parsed instanceof Parsed.Invalid<GenerationRequest> invalid) {
            return invalid.error().toResponse();
        }
        AdmissionResult result = admissions.admit(principal, ((Parsed.Valid<GenerationRequest>) parsed).value());
        ApiResponse answer = answer(principal, result);
        Optional<Duration> waitFor = ((Parsed.Valid<Optional<Duration>>) wait).value();
        if (result instanceof AdmissionResult.Accepted accepted && waitFor.isPresent()) {
            return awaitEnd(request, answer, accepted.job(), waitFor.get());
        }
        return answer;
    }

    /**
     * {@code Prefer: wait=N}: the job as it ended, with {@code Preference-Applied}, when it ends
     * within N seconds of the request; otherwise the usual 202, with the job as it now is.
     */
    private ApiResponse awaitEnd(ApiRequest request, ApiResponse admitted, Job queued, Duration wait) {
        Job seen = waits.until(queued, request.receivedAt().plus(wait));
        Map<String, String> carried = new LinkedHashMap<>(admitted.headers());
        carried.keySet().removeIf(name -> name.startsWith("X-Queue-Wait") || name.startsWith("X-Inference-Time")
                || name.equals("X-Model"));
        if (!seen.status().isTerminal()) {
            return jobResponse(202, seen).withHeaders(carried);
        }
        carried.put("Preference-Applied", "wait=" + wait.toSeconds());
        return jobResponse(200, seen).withHeaders(carried);
    }

    /** One generation request through admission, answered as its own route would answer it. */
    private ApiResponse admit(Principal principal, GenerationRequest generation) {
        return answer(principal, admissions.admit(principal, generation));
    }

    private ApiResponse answer(Principal principal, AdmissionResult result) {
        Instant now = clock.instant();
        if (result instanceof AdmissionResult.RateLimited limited) {
            return refusal(principal, limited.decision(), now);
        }
        if (result instanceof AdmissionResult.QueueFull full) {
            String seconds = Long.toString(full.retryAfter().toSeconds());
            return ApiError.serviceUnavailable("the " + principal.plan().tier().wireName()
                    + " queue is full; nothing was queued or counted, retry in " + seconds + " s")
                    .toResponse().withHeaders(Map.of("Retry-After", seconds));
        }
        if (result instanceof AdmissionResult.QueueUnavailable unavailable) {
            return ApiError.serviceUnavailable("the job queue is unavailable; job " + unavailable.job().id()
                    + " was not started, submit it again").toResponse().withHeaders(Map.of("Retry-After", "1"));
        }
        AdmissionResult.Accepted accepted = (AdmissionResult.Accepted) result;
        Map<String, String> headers = new LinkedHashMap<>(RateLimitResponses.headers(accepted.decision(), now));
        headers.put("Location", "/v1/generations/" + accepted.job().id());
        return jobResponse(202, accepted.job()).withHeaders(headers);
    }

    private ApiResponse refusal(Principal principal, AdmissionDecision.Refused refused, Instant now) {
        if (RateLimitResponses.isQuota(refused)) {
            return RateLimitResponses.quotaExceeded(refused, quotaBody(principal, List.of(), now), now);
        }
        return RateLimitResponses.tooManyRequests(refused, now);
    }

    /**
     * {@code {"tasks":[{"kind":"image"|"video", ...the fields of that route}]}}: each task is
     * admitted or refused on its own, in order, and answered with one result, as its own route would
     * answer it ({@code status} plus the job, or the error body).
     */
    private ApiResponse batch(ApiRequest request, Principal principal) {
        if (principal.standing() == TenantStanding.PAYMENT_REQUIRED) {
            return ApiError.paymentRequired().toResponse();
        }
        Parsed<JsonNode> body = GenerationRequestParser.object(request.body());
        if (body instanceof Parsed.Invalid<JsonNode> invalid) {
            return invalid.error().toResponse();
        }
        JsonNode root = ((Parsed.Valid<JsonNode>) body).value();
        JsonNode tasks = root.get("tasks");
        if (tasks == null || !tasks.isArray() || tasks.isEmpty()) {
            return ApiError.invalidField("tasks", "tasks must be a non-empty array of generation requests").toResponse();
        }
        if (tasks.size() > MAX_BATCH_TASKS) {
            return ApiError.invalidField("tasks", "tasks may hold at most " + MAX_BATCH_TASKS + " requests, not "
                    + tasks.size()).toResponse();
        }
        for (java.util.Iterator<String> it = root.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!field.equals("tasks")) {
                return ApiError.invalidField(field, "unknown field '" + field + "'; a batch has only tasks")
                        .toResponse();
            }
        }
        ObjectNode out = Json.object().put("object", "batch");
        ArrayNode results = out.putArray("results");
        Map<String, String> headers = Map.of();
        int admitted = 0;
        for (int i = 0; i < tasks.size(); i++) {
            ApiResponse answer = batchTask(principal, tasks.get(i), "tasks[" + i + "]");
            ObjectNode result = results.addObject().put("index", i).put("status", answer.status());
            JsonNode answerBody = Json.read(answer.body());
            if (answer.status() == 202) {
                admitted++;
                result.set("job", answerBody);
            } else {
                result.setAll((ObjectNode) answerBody);
            }
            if (answer.headers().containsKey("X-RateLimit-Limit")) {
                headers = answer.headers();
            }
        }
        out.put("admitted", admitted).put("refused", tasks.size() - admitted);
        Map<String, String> limitHeaders = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            if (name.startsWith("X-RateLimit") || name.startsWith("RateLimit")) {
                limitHeaders.put(name, value);
            }
        });
        return json(200, out).withHeaders(limitHeaders);
    }

    private ApiResponse batchTask(Principal principal, JsonNode task, String where) {
        if (!task.isObject()) {
            return ApiError.invalidField(where, where + " must be a JSON object").toResponse();
        }
        JsonNode kind = task.get("kind");
        if (kind == null || !kind.isTextual() || !java.util.Set.of("image", "video").contains(kind.asText())) {
            return ApiError.invalidField(where + ".kind", where + ".kind must be \"image\" or \"video\"").toResponse();
        }
        ObjectNode fields = ((ObjectNode) task).deepCopy();
        fields.remove("kind");
        Parsed<GenerationRequest> parsed = parser.parse(JobKind.fromWire(kind.asText()), fields);
        if (parsed instanceof Parsed.Invalid<GenerationRequest> invalid) {
            ApiError error = invalid.error();
            return new ApiError(error.status(), error.type(), error.code(), where + ": " + error.message(),
                    Optional.of(error.param().map(p -> where + "." + p).orElse(where))).toResponse();
        }
        return admit(principal, ((Parsed.Valid<GenerationRequest>) parsed).value());
    }

    private ApiResponse status(ApiRequest request, Principal principal) {
        AdmissionDecision read = admissions.admitRead(principal);
        Instant now = clock.instant();
        if (read instanceof AdmissionDecision.Refused refused) {
            return RateLimitResponses.tooManyRequests(refused, now);
        }
        Map<String, String> limitHeaders = RateLimitResponses.headers(read, now);
        Optional<Job> job = ownJob(request, principal);
        if (job.isEmpty()) {
            return generationNotFound(request).withHeaders(limitHeaders);
        }
        return jobResponse(200, job.get()).withHeaders(limitHeaders);
    }

    /**
     * Cancels a queued or running job of the caller's tenant (see {@link JobCancellation}): 200 with
     * the cancelled job; 409 when it had already ended; 404 for an unknown id or another tenant's job.
     */
    private ApiResponse cancel(ApiRequest request, Principal principal) {
        Optional<Job> found = ownJob(request, principal);
        if (found.isEmpty()) {
            return generationNotFound(request);
        }
        JobCancellation.Result result = cancellation.cancel(found.get());
        Job job = result.job();
        if (result instanceof JobCancellation.AlreadyEnded) {
            return new ApiError(409, "invalid_request_error", "generation_ended", "generation " + job.id()
                    + " already " + job.status().wireName() + "; only a queued or running generation can be cancelled",
                    Optional.empty()).toResponse();
        }
        return jobResponse(200, job);
    }

    /** Seed 002's quota view, plus where the key stands on every rule; a read, limited like status reads. */
    private ApiResponse quota(ApiRequest request, Principal principal) {
        AdmissionDecision read = admissions.admitRead(principal);
        Instant now = clock.instant();
        if (read instanceof AdmissionDecision.Refused refused) {
            return RateLimitResponses.tooManyRequests(refused, now);
        }
        return json(200, quotaBody(principal, read.states(), now)).withHeaders(RateLimitResponses.headers(read, now));
    }

    private ObjectNode quotaBody(Principal principal, List<LimitState> readStates, Instant now) {
        List<LimitState> states = new java.util.ArrayList<>(readStates);
        states.addAll(admissions.standing(principal));
        return QuotaReport.body(principal, states, concurrency.usage(principal.tenantId(), now), now);
    }

    /** Another tenant's job, like a job that does not exist, is a 404: ids reveal nothing across tenants. */
    private Optional<Job> ownJob(ApiRequest request, Principal principal) {
        return request.pathParameter("id").flatMap(JobId::parse).flatMap(jobs::find)
                .filter(j -> j.tenantId().equals(principal.tenantId()));
    }

    private static ApiResponse generationNotFound(ApiRequest request) {
        return ApiError.notFound("no generation with id " + clip(request.pathParameter("id").orElse(""))).toResponse();
    }

    /** Re-sends the terminal event of a job whose webhook was not delivered; see {@link WebhookRedelivery}. */
    private ApiResponse redeliverWebhook(ApiRequest request, Principal principal) {
        Optional<Job> found = ownJob(request, principal);
        if (found.isEmpty()) {
            return generationNotFound(request);
        }
        Job job = found.get();
        WebhookRedelivery.Result result = redeliveries.request(job);
        if (result instanceof WebhookRedelivery.Refused refused) {
            return new ApiError(409, "invalid_request_error", refused.code(), refused.message(), Optional.empty())
                    .toResponse();
        }
        ObjectNode body = Json.object()
                .put("object", "webhook.redelivery")
                .put("generation_id", job.id().value())
                .put("event_id", ((WebhookRedelivery.Queued) result).eventId())
                .put("webhook_url", job.request().webhookUrl().orElseThrow().toString())
                .put("status", "queued");
        return json(202, body).withHeaders(Map.of("Location", "/v1/generations/" + job.id()));
    }

    private ApiResponse listModels() {
        ObjectNode body = Json.object().put("object", "list");
        ArrayNode data = body.putArray("data");
        for (Model model : models.all()) {
            ObjectNode node = data.addObject()
                    .put("id", model.id())
                    .put("object", "model")
                    .put("kind", model.kind().wireName());
            model.aliases().forEach(node.putArray("aliases")::add);
            ArrayNode chain = node.putArray("failover_chain");
            models.chainFor(model).links().forEach(link -> chain.add(link.id()));
        }
        return json(200, body);
    }

    /** A job body plus the per-job observability headers of seed 000. */
    private ApiResponse jobResponse(int status, Job job) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Model", job.modelActual().orElse(job.model()));
        job.timings().queueWait().ifPresent(d -> headers.put("X-Queue-Wait", d.toMillis() + "ms"));
        job.inferenceTime().ifPresent(d -> headers.put("X-Inference-Time", d.toMillis() + "ms"));
        return json(status, JobView.of(job)).withHeaders(headers);
    }

    private static ApiResponse json(int status, ObjectNode body) {
        return new ApiResponse(status, Map.of("Content-Type", "application/json"), Json.write(body));
    }

    private static String clip(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }

    /** Every creation route honours {@code Idempotency-Key}; the route itself does not know. */
    private Route idempotent(Route route) {
        return (request, principal) -> idempotency.handle(request, principal, route::handle);
    }

    @FunctionalInterface
    private interface Route {
        ApiResponse handle(ApiRequest request, Principal principal);
    }
}
