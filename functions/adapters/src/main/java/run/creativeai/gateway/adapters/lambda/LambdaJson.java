package run.creativeai.gateway.adapters.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import run.creativeai.gateway.json.Json;

/**
 * The functions' events and results as the JSON Lambda passes a stream handler, read and written with
 * the project's own Jackson mapper. Each handler is a {@code RequestStreamHandler}, so Lambda's Java
 * runtime hands it the raw event instead of building its POJO serialiser for the event type (a second,
 * shaded Jackson and a reflective mapping of the event classes, loaded before the first event: some
 * 900 classes of a cold start, BENCHMARKS.md). Only the fields the functions read are taken over.
 */
public final class LambdaJson {
    private LambdaJson() {
    }

    /** An HTTP API (payload format 2.0) event. */
    public static APIGatewayV2HTTPEvent httpEvent(InputStream in) throws IOException {
        JsonNode e = Json.mapper().readTree(in);
        JsonNode context = e.path("requestContext");
        JsonNode http = context.path("http");
        return APIGatewayV2HTTPEvent.builder()
                .withVersion(text(e, "version"))
                .withRouteKey(text(e, "routeKey"))
                .withRawPath(text(e, "rawPath"))
                .withRawQueryString(text(e, "rawQueryString"))
                .withHeaders(strings(e.get("headers")))
                .withQueryStringParameters(strings(e.get("queryStringParameters")))
                .withPathParameters(strings(e.get("pathParameters")))
                .withBody(text(e, "body"))
                .withIsBase64Encoded(e.path("isBase64Encoded").asBoolean(false))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRouteKey(text(context, "routeKey"))
                        .withRequestId(text(context, "requestId"))
                        .withTimeEpoch(context.path("timeEpoch").asLong(0))
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(text(http, "method"))
                                .withPath(text(http, "path"))
                                .withProtocol(text(http, "protocol"))
                                .withSourceIp(text(http, "sourceIp"))
                                .withUserAgent(text(http, "userAgent"))
                                .build())
                        .build())
                .build();
    }

    /** An SQS event: each record's id, body, attributes and source. */
    public static SQSEvent sqsEvent(InputStream in) throws IOException {
        JsonNode e = Json.mapper().readTree(in);
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (JsonNode r : e.path("Records")) {
            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
            message.setMessageId(text(r, "messageId"));
            message.setReceiptHandle(text(r, "receiptHandle"));
            message.setBody(text(r, "body"));
            message.setAttributes(strings(r.get("attributes")));
            message.setMessageAttributes(Map.of());
            message.setEventSource(text(r, "eventSource"));
            message.setEventSourceArn(text(r, "eventSourceARN"));
            message.setAwsRegion(text(r, "awsRegion"));
            records.add(message);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    /** Any event as plain maps, lists and values (a schedule's event). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(InputStream in) throws IOException {
        JsonNode e = Json.mapper().readTree(in);
        return e == null || !e.isObject() ? Map.of() : Json.mapper().convertValue(e, Map.class);
    }

    public static void write(APIGatewayV2HTTPResponse response, OutputStream out) throws IOException {
        ObjectNode json = Json.object().put("statusCode", response.getStatusCode());
        if (response.getHeaders() != null) {
            ObjectNode headers = json.putObject("headers");
            response.getHeaders().forEach(headers::put);
        }
        json.put("body", response.getBody());
        json.put("isBase64Encoded", response.getIsBase64Encoded());
        Json.mapper().writeValue(out, json);
    }

    public static void write(SQSBatchResponse response, OutputStream out) throws IOException {
        ObjectNode json = Json.object();
        ArrayNode failures = json.putArray("batchItemFailures");
        response.getBatchItemFailures().forEach(f -> failures.addObject().put("itemIdentifier", f.getItemIdentifier()));
        Json.mapper().writeValue(out, json);
    }

    public static void write(Map<String, Object> result, OutputStream out) throws IOException {
        Json.mapper().writeValue(out, result);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Map<String, String> strings(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(f -> map.put(f.getKey(), f.getValue().isNull() ? null : f.getValue().asText()));
        return map;
    }
}
