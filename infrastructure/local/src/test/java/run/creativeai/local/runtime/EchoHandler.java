package run.creativeai.local.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** A test function that answers with what it received, as the typed event the Lambda runtime would give it. */
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
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(201)
                .withHeaders(Map.of("Content-Type", "application/json", "X-Echo", "yes"))
                .withCookies(List.of("session=abc; Path=/"))
                .withBody(seen.toString())
                .build();
    }
}
