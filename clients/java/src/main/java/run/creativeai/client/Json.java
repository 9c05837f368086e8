package run.creativeai.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Reads the API's JSON field by field. The client maps bodies by hand rather than by binding: a field
 * the API adds later is kept in each value's {@code json()} and breaks nothing, and a null reads as absent.
 */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Json() {
    }

    /** The body as JSON, or a missing node when it is empty or not JSON (a proxy's HTML error page). */
    static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            return node == null ? MissingNode.getInstance() : node;
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("not writable as JSON: " + e.getMessage(), e);
        }
    }

    static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? Optional.of(value.asText()) : Optional.empty();
    }

    static String text(JsonNode node, String field, String otherwise) {
        return text(node, field).orElse(otherwise);
    }

    static OptionalLong number(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNumber() ? OptionalLong.of(value.asLong()) : OptionalLong.empty();
    }

    static Optional<Instant> instant(JsonNode node, String field) {
        try {
            return text(node, field).map(Instant::parse);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    static List<String> texts(JsonNode node, String field) {
        return list(node, field, JsonNode::asText);
    }

    static <T> List<T> list(JsonNode node, String field, Function<JsonNode, T> each) {
        List<T> values = new ArrayList<>();
        node.path(field).forEach(element -> values.add(each.apply(element)));
        return List.copyOf(values);
    }
}
