package run.creativeai.local.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test function that answers with what it received, as the typed event the Lambda runtime would give it.
 * The query parameter {@code status} sets the answer's status and {@code binary} makes it a base64 body of
 * those bytes (hex), so the gateway's side of the response can be tested too.
 */
public final class EchoHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, String> environment;

    public EchoHandler(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        if (event.getHeaders() != null && event.getHeaders().containsKey("x-fail")) {
            throw new IllegalStateException("asked to fail");
        }
        ObjectNode seen = JSON.createObjectNode()
                .put("version", event.getVersion())
                .put("routeKey", event.getRouteKey())
                .put("rawPath", event.getRawPath())
                .put("rawQueryString", event.getRawQueryString())
                .put("method", event.getRequestContext().getHttp().getMethod())
                .put("path", event.getRequestContext().getHttp().getPath())
                .put("sourceIp", event.getRequestContext().getHttp().getSourceIp())
                .put("requestId", event.getRequestContext().getRequestId())
                .put("timeEpoch", event.getRequestContext().getTimeEpoch())
                .put("isBase64Encoded", event.getIsBase64Encoded())
                .put("body", event.getBody())
                .put("functionName", context.getFunctionName())
                .put("remainingTimeInMillis", context.getRemainingTimeInMillis());
        seen.set("headers", JSON.valueToTree(event.getHeaders()));
        seen.set("cookies", JSON.valueToTree(event.getCookies()));
        seen.set("queryStringParameters", JSON.valueToTree(event.getQueryStringParameters()));
        seen.set("pathParameters", JSON.valueToTree(event.getPathParameters()));
        seen.set("environment", JSON.valueToTree(environment));
        Map<String, String> query = event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
        if (query.containsKey("binary")) {
            return APIGatewayV2HTTPResponse.builder()
                    .withStatusCode(200)
                    .withHeaders(Map.of("content-type", "application/octet-stream"))
                    .withBody(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(query.get("binary"))))
                    .withIsBase64Encoded(true)
                    .build();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Echo", "yes");
        headers.put("X-RateLimit-Limit", "10");
        headers.put("Retry-After", "3");
        headers.put("x-lower-case", "as set");
        headers.put("Vary", "Accept, Prefer");
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(Integer.parseInt(query.getOrDefault("status", "201")))
                .withHeaders(headers)
                .withCookies(List.of("session=abc; Path=/", "theme=dark"))
                .withBody(seen.toString())
                .build();
    }
}
