package run.creativeai.gateway.adapters.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import run.creativeai.gateway.api.ApiRequest;
import run.creativeai.gateway.api.ApiResponse;

/** Translates API Gateway HTTP API (payload format 2.0) events to the API's own request and back. */
public final class HttpEvents {
    private HttpEvents() {
    }

    public static ApiRequest toRequest(APIGatewayV2HTTPEvent event, Clock clock) {
        Map<String, String> headers = new HashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
        }
        byte[] body = new byte[0];
        if (event.getBody() != null) {
            body = event.getIsBase64Encoded()
                    ? Base64.getDecoder().decode(event.getBody())
                    : event.getBody().getBytes(StandardCharsets.UTF_8);
        }
        APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
        String requestId = context != null && context.getRequestId() != null ? context.getRequestId() : "unknown";
        Instant receivedAt = context != null && context.getTimeEpoch() > 0
                ? Instant.ofEpochMilli(context.getTimeEpoch())
                : clock.instant();
        return new ApiRequest(event.getRouteKey() == null ? "" : event.getRouteKey(), headers,
                event.getPathParameters() == null ? Map.of() : event.getPathParameters(), body, requestId, receivedAt);
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
