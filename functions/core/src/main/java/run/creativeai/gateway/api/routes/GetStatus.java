package run.creativeai.gateway.api.routes;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.api.ApiError;
import run.creativeai.gateway.api.ApiRequest;
import run.creativeai.gateway.api.ApiResponse;
import run.creativeai.gateway.api.GatewayApi;
import run.creativeai.gateway.api.PublicRoute;
import run.creativeai.gateway.status.PublishedStatus;

/**
 * {@code GET /v1/status}, public: the status document as it was last published (see
 * {@link run.creativeai.gateway.status.StatusBoard}), served as it is stored. Nothing is computed per
 * request; browsers and proxies may keep it a few seconds.
 */
public final class GetStatus implements PublicRoute {
    /** How long a client or proxy may reuse an answer: changes show within seconds either way. */
    public static final String CACHE_CONTROL = "public, max-age=5";

    private final PublishedStatus status;

    public GetStatus(PublishedStatus status) {
        this.status = status;
    }

    @Override
    public String key() {
        return GatewayApi.GET_STATUS;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        Optional<String> document = status.current();
        if (document.isEmpty()) {
            return ApiError.serviceUnavailable("the status is first published within a minute of deployment; retry then")
                    .toResponse().withHeaders(Map.of("Retry-After", "60"));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Cache-Control", CACHE_CONTROL);
        // Any page may read the status (a customer's own dashboard): it is public and carries no credentials.
        headers.put("Access-Control-Allow-Origin", "*");
        return new ApiResponse(200, headers, document.get());
    }
}
