package run.creativeai.gateway.adapters.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
import run.creativeai.gateway.json.JsonStreams;

/**
 * The functions' events and results as the JSON Lambda passes a stream handler, read and written as
 * the project's JSON trees ({@link Json}, no mapper built). Each handler is a {@code RequestStreamHandler}, so Lambda's Java
 * runtime hands it the raw event instead of building its POJO serialiser for the event type (a second,
 * shaded Jackson and a reflective mapping of the event classes, loaded before the first event: some
 * 900 classes of a cold start, BENCHMARKS.md). Only the fields the functions read are taken over.
 */
public final class LambdaJson {
    private LambdaJson() {
    }

    /** An HTTP API (payload format 2.0) event. */
    public static APIGatewayV2HTTPEvent httpEvent(InputStream in) throws IOException {
        JsonNode e = Json.tree(in);
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
        JsonNode e = Json.tree(in);
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

    /**
     * Any event as plain maps, lists and values (a schedule's event), read with Jackson's streaming
     * parser alone: a scheduled function whose run needs no mapper then never builds one (some 400
     * classes of its first event).
     */
    public static Map<String, Object> map(InputStream in) throws IOException {
        try (JsonParser parser = JsonStreams.factory().createParser(in)) {
            return parser.nextToken() == JsonToken.START_OBJECT ? object(parser) : Map.of();
        }
    }

    private static Map<String, Object> object(JsonParser parser) throws IOException {
        Map<String, Object> object = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            object.put(name, value(parser));
        }
        return object;
    }

    private static Object value(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            return object(parser);
        }
        if (token == JsonToken.START_ARRAY) {
            List<Object> array = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                array.add(value(parser));
            }
            return array;
        }
        if (token == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        if (token == JsonToken.VALUE_NUMBER_INT) {
            return parser.getNumberValue();
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            return parser.getDoubleValue();
        }
        if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
            return token == JsonToken.VALUE_TRUE;
        }
        return null;
    }

    public static void write(APIGatewayV2HTTPResponse response, OutputStream out) throws IOException {
        ObjectNode json = Json.object().put("statusCode", response.getStatusCode());
        if (response.getHeaders() != null) {
            ObjectNode headers = json.putObject("headers");
            response.getHeaders().forEach(headers::put);
        }
        json.put("body", response.getBody());
        json.put("isBase64Encoded", response.getIsBase64Encoded());
        Json.write(json, out);
    }

    public static void write(SQSBatchResponse response, OutputStream out) throws IOException {
        ObjectNode json = Json.object();
        ArrayNode failures = json.putArray("batchItemFailures");
        response.getBatchItemFailures().forEach(f -> failures.addObject().put("itemIdentifier", f.getItemIdentifier()));
        Json.write(json, out);
    }

    /** A scheduled function's answer (maps, lists, strings, numbers, booleans), written by Jackson's streaming generator. */
    public static void write(Map<String, Object> result, OutputStream out) throws IOException {
        try (JsonGenerator json = JsonStreams.factory().createGenerator(out)) {
            write(result, json);
        }
    }

    private static void write(Object value, JsonGenerator json) throws IOException {
        if (value instanceof Map<?, ?> map) {
            json.writeStartObject();
            for (Map.Entry<?, ?> field : map.entrySet()) {
                json.writeFieldName(String.valueOf(field.getKey()));
                write(field.getValue(), json);
            }
            json.writeEndObject();
        } else if (value instanceof Iterable<?> values) {
            json.writeStartArray();
            for (Object element : values) {
                write(element, json);
            }
            json.writeEndArray();
        } else if (value instanceof String text) {
            json.writeString(text);
        } else if (value instanceof Integer || value instanceof Long) {
            json.writeNumber(((Number) value).longValue());
        } else if (value instanceof Number number) {
            json.writeNumber(number.toString());
        } else if (value instanceof Boolean flag) {
            json.writeBoolean(flag);
        } else if (value == null) {
            json.writeNull();
        } else {
            throw new IllegalArgumentException("an answer holds maps, lists, strings, numbers and booleans, not "
                    + value.getClass().getName());
        }
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
