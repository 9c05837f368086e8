package run.creativeai.gateway.adapters.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import run.creativeai.gateway.api.ApiRequest;
import run.creativeai.gateway.api.ApiResponse;

/**
 * Translates API Gateway HTTP API (payload format 2.0) events to the API's own request and back; a
 * Lambda function URL delivers the same format, with route key {@code $default} for every request.
 */
public final class HttpEvents {
    private HttpEvents() {
    }

    /**
     * The request the event carries.
     *
     * @throws MalformedBody when the body is flagged base64 but is not; the request without its body is in the exception
     */
    public static ApiRequest toRequest(APIGatewayV2HTTPEvent event, Clock clock) {
        byte[] body = new byte[0];
        if (event.getBody() != null) {
            if (event.getIsBase64Encoded()) {
                try {
                    body = Base64.getDecoder().decode(event.getBody());
                } catch (IllegalArgumentException e) {
                    throw new MalformedBody(request(event, clock, new byte[0]));
                }
            } else {
                body = utf8(event.getBody());
            }
        }
        return request(event, clock, body);
    }

    /**
     * The request a function URL delivers, as the HTTP API would have delivered it on {@code routeKey}
     * ({@code "POST /v1/things/{id}"}): when its method and raw path are the route's, with the route's
     * key and the path parameters taken from the path (each segment percent-decoded). Otherwise the
     * request as it came ({@code $default}, no path parameters): a function URL invokes its function for
     * every method and path, and the function answers what no route of its takes.
     *
     * @throws MalformedBody as {@link #toRequest(APIGatewayV2HTTPEvent, Clock)}
     */
    public static ApiRequest toRequest(APIGatewayV2HTTPEvent event, String routeKey, Clock clock) {
        ApiRequest request = toRequest(event, clock);
        String method = event.getRequestContext() == null || event.getRequestContext().getHttp() == null ? ""
                : String.valueOf(event.getRequestContext().getHttp().getMethod());
        String[] route = routeKey.substring(routeKey.indexOf(' ') + 1).split("/", -1);
        String[] path = String.valueOf(event.getRawPath()).split("/", -1);
        if (!routeKey.startsWith(method.toUpperCase(Locale.ROOT) + " ") || route.length != path.length) {
            return request;
        }
        Map<String, String> parameters = new HashMap<>();
        for (int i = 0; i < route.length; i++) {
            if (route[i].startsWith("{") && route[i].endsWith("}")) {
                String value = URLDecoder.decode(path[i].replace("+", "%2B"), StandardCharsets.UTF_8);
                if (value.isEmpty()) {
                    return request;
                }
                parameters.put(route[i].substring(1, route[i].length() - 1), value);
            } else if (!route[i].equals(path[i])) {
                return request;
            }
        }
        return new ApiRequest(routeKey, request.headers(), parameters, request.body(), request.requestId(),
                request.receivedAt(), request.queryParameters());
    }

    /**
     * The body text as UTF-8, except that an unpaired surrogate, which {@link String#getBytes}
     * would silently turn into '?', is written as its own three bytes (as WTF-8 does), so the API
     * sees it and refuses it, naming the field that held it.
     */
    static byte[] utf8(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                out.writeBytes(text.substring(start, i).getBytes(StandardCharsets.UTF_8));
                out.write(0xe0 | c >> 12);
                out.write(0x80 | (c >> 6 & 0x3f));
                out.write(0x80 | (c & 0x3f));
                start = i + 1;
            }
        }
        out.writeBytes(text.substring(start).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static ApiRequest request(APIGatewayV2HTTPEvent event, Clock clock, byte[] body) {
        Map<String, String> headers = new HashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((name, value) -> {
                if (name != null) {
                    headers.put(name.toLowerCase(Locale.ROOT), value == null ? "" : value);
                }
            });
        }
        APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
        String requestId = context != null && context.getRequestId() != null ? context.getRequestId() : "unknown";
        Instant receivedAt = context != null && context.getTimeEpoch() > 0
                ? Instant.ofEpochMilli(context.getTimeEpoch())
                : clock.instant();
        Map<String, String> path = new HashMap<>();
        if (event.getPathParameters() != null) {
            event.getPathParameters().forEach((name, value) -> {
                if (name != null && value != null) {
                    path.put(name, value);
                }
            });
        }
        Map<String, String> query = new HashMap<>();
        if (event.getQueryStringParameters() != null) {
            event.getQueryStringParameters().forEach((name, value) -> {
                if (name != null && value != null) {
                    query.put(name, value);
                }
            });
        }
        return new ApiRequest(event.getRouteKey() == null ? "" : event.getRouteKey(), headers, path, body, requestId,
                receivedAt, query);
    }

    /** A body flagged base64 that does not decode; API Gateway never sends one, a hand-made event may. */
    public static final class MalformedBody extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient ApiRequest withoutBody;

        MalformedBody(ApiRequest withoutBody) {
            super("request body is flagged base64 but is not valid base64");
            this.withoutBody = withoutBody;
        }

        public ApiRequest withoutBody() {
            return withoutBody;
        }
    }

    public static APIGatewayV2HTTPResponse toEvent(ApiResponse response) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(response.headers())
                .withBody(response.body())
                .withIsBase64Encoded(false)
                .build();
    }
}
