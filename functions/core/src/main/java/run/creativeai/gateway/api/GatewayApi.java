package run.creativeai.gateway.api;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.access.Authentication;
import run.creativeai.gateway.access.Authenticator;
import run.creativeai.gateway.limits.LimiterBusyException;
import run.creativeai.gateway.status.HealthSignal;
import run.creativeai.gateway.status.HealthTally;

/**
 * The v1 HTTP API's router: finds the {@link Route} of a request's route key, authenticates the
 * caller before anything else (an anonymous caller learns nothing but 401), bounds the body, and
 * gives every response the request id, its duration and the region. The routes of
 * {@link #PUBLIC_ROUTE_KEYS} alone, each a {@link PublicRoute}, are answered without a key. Anything
 * unexpected becomes a 500 that names the request id and nothing internal. Every answer is counted
 * for the status page (a 5xx as a failure).
 */
public final class GatewayApi {
    public static final int MAX_BODY_BYTES = 64 * 1024;

    /** The route keys of the v1 API; template.yaml declares exactly these for the ingress function. */
    public static final String CREATE_IMAGE = "POST /v1/images/generations";
    public static final String CREATE_VIDEO = "POST /v1/video/generations";
    public static final String CREATE_BATCH = "POST /v1/generations/batch";
    public static final String GET_GENERATION = "GET /v1/generations/{id}";
    public static final String CANCEL_GENERATION = "DELETE /v1/generations/{id}";
    public static final String GET_QUOTA = "GET /v1/quota";
    public static final String LIST_MODELS = "GET /v1/models";
    public static final String REDELIVER_WEBHOOK = "POST /v1/generations/{id}/webhook";
    public static final String GET_USAGE = "GET /v1/usage";
    public static final String CREATE_UPLOAD = "POST /v1/uploads";
    public static final String GET_UPLOAD = "GET /v1/uploads/{id}";
    public static final String GET_STATUS = "GET /v1/status";
    public static final String STATUS_PAGE = "GET /status";
    public static final String CREATE_STATUS_SUBSCRIPTION = "POST /v1/status/subscriptions";
    public static final String LIST_STATUS_SUBSCRIPTIONS = "GET /v1/status/subscriptions";
    public static final String DELETE_STATUS_SUBSCRIPTION = "DELETE /v1/status/subscriptions/{id}";
    public static final String CREATE_WORKFLOW = "POST /v1/workflows";
    public static final String GET_WORKFLOW = "GET /v1/workflows/{id}";
    public static final String CANCEL_WORKFLOW = "DELETE /v1/workflows/{id}";
    public static final String GET_OPENAPI = "GET /v1/openapi.json";
    public static final String CREATE_TRAINING = "POST /v1/trainings";
    public static final String GET_TRAINING = "GET /v1/trainings/{id}";
    public static final String CANCEL_TRAINING = "DELETE /v1/trainings/{id}";
    public static final Set<String> ROUTE_KEYS = Set.of(CREATE_IMAGE, CREATE_VIDEO, CREATE_BATCH, CREATE_TRAINING,
            GET_TRAINING, CANCEL_TRAINING,
            GET_GENERATION, CANCEL_GENERATION, GET_QUOTA, LIST_MODELS, REDELIVER_WEBHOOK, CREATE_UPLOAD, GET_UPLOAD,
            GET_USAGE, GET_STATUS, STATUS_PAGE, CREATE_STATUS_SUBSCRIPTION, LIST_STATUS_SUBSCRIPTIONS, DELETE_STATUS_SUBSCRIPTION,
            CREATE_WORKFLOW, GET_WORKFLOW, CANCEL_WORKFLOW, GET_OPENAPI);
    /**
     * The routes answered without a key: the service's status, as JSON and as a page, and the API's
     * OpenAPI document. Every other asks for one.
     */
    public static final Set<String> PUBLIC_ROUTE_KEYS = Set.of(GET_STATUS, STATUS_PAGE, GET_OPENAPI);
    /**
     * The routes that create jobs, which may reuse a key record this instance read a moment ago
     * ({@link Authenticator#authenticateRecent}): the read is a round trip of every admission. Every
     * other route reads the key afresh, so a revoked key is refused there from the next request.
     */
    public static final Set<String> RECENT_KEY_ROUTE_KEYS = Set.of(CREATE_IMAGE, CREATE_VIDEO, CREATE_BATCH);
    private static final Logger LOG = LoggerFactory.getLogger(GatewayApi.class);

    private final Authenticator authenticator;
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final HealthTally answers;
    private final Clock clock;
    private final String region;

    /** @param routes one route for each of {@link #ROUTE_KEYS} */
    public GatewayApi(Authenticator authenticator, List<Route> routes, Clock clock, String region) {
        this(authenticator, routes, HealthTally.none(HealthSignal.API_REQUESTS), clock, region);
    }

    /**
     * @param routes  one route for each of {@link #ROUTE_KEYS}, a {@link PublicRoute} exactly for those
     *                of {@link #PUBLIC_ROUTE_KEYS}
     * @param answers where every answer is counted for the status page
     */
    public GatewayApi(Authenticator authenticator, List<Route> routes, HealthTally answers, Clock clock, String region) {
        this.authenticator = authenticator;
        this.answers = answers;
        this.clock = clock;
        this.region = region;
        for (Route route : routes) {
            if (routes.stream().filter(r -> r.key().equals(route.key())).count() > 1) {
                throw new IllegalArgumentException("two routes for " + route.key());
            }
            this.routes.put(route.key(), route);
        }
        if (!this.routes.keySet().equals(ROUTE_KEYS)) {
            throw new IllegalArgumentException("every route key has exactly one route: " + ROUTE_KEYS + ", not "
                    + this.routes.keySet());
        }
        this.routes.forEach((key, route) -> {
            if ((route instanceof PublicRoute) != PUBLIC_ROUTE_KEYS.contains(key)) {
                throw new IllegalArgumentException(key + (PUBLIC_ROUTE_KEYS.contains(key) ? " must be a public route"
                        : " must not be a public route: only " + PUBLIC_ROUTE_KEYS + " are answered without a key"));
            }
        });
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
        answers.record(response.status() >= 500);
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
        if (route instanceof PublicRoute open) {
            return request.body().length > MAX_BODY_BYTES ? ApiError.tooLarge(MAX_BODY_BYTES).toResponse()
                    : open.handle(request);
        }
        // Authentication first: an anonymous caller learns nothing about a route but 401.
        Authentication authentication = RECENT_KEY_ROUTE_KEYS.contains(request.routeKey())
                ? authenticator.authenticateRecent(request.header("authorization"))
                : authenticator.authenticate(request.header("authorization"));
        if (authentication instanceof Authentication.Rejected rejected) {
            return ApiError.unauthorized(rejected.reason()).toResponse()
                    .withHeaders(Map.of("WWW-Authenticate", "Bearer"));
        }
        if (request.body().length > MAX_BODY_BYTES) {
            return ApiError.tooLarge(MAX_BODY_BYTES).toResponse();
        }
        return route.handle(request, ((Authentication.Authenticated) authentication).principal());
    }
}
