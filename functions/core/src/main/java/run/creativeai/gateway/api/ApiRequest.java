package run.creativeai.gateway.api;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as the API sees it, free of API Gateway's types.
 *
 * @param routeKey   the matched route, {@code "POST /v1/images/generations"}, as template.yaml declares it
 * @param headers    names in lower case, repeated values comma-joined (as API Gateway payload v2.0 delivers them)
 * @param body       the raw body bytes, already base64-decoded where the gateway encoded them
 * @param receivedAt when the gateway received the request: the start of {@code X-Request-Duration}
 * @param queryParameters the query string's parameters, repeated values comma-joined (as API Gateway
 *                        payload v2.0 delivers them)
 */
public record ApiRequest(
        String routeKey,
        Map<String, String> headers,
        Map<String, String> pathParameters,
        byte[] body,
        String requestId,
        Instant receivedAt,
        Map<String, String> queryParameters) {

    public ApiRequest {
        headers = Map.copyOf(headers);
        pathParameters = Map.copyOf(pathParameters);
        queryParameters = Map.copyOf(queryParameters);
    }

    /** A request without a query string. */
    public ApiRequest(String routeKey, Map<String, String> headers, Map<String, String> pathParameters, byte[] body,
            String requestId, Instant receivedAt) {
        this(routeKey, headers, pathParameters, body, requestId, receivedAt, Map.of());
    }

    public Optional<String> header(String lowerCaseName) {
        return Optional.ofNullable(headers.get(lowerCaseName));
    }

    public Optional<String> pathParameter(String name) {
        return Optional.ofNullable(pathParameters.get(name));
    }

    public Optional<String> queryParameter(String name) {
        return Optional.ofNullable(queryParameters.get(name));
    }
}
