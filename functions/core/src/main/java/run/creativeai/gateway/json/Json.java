package run.creativeai.gateway.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The project's JSON, on its reading rules ({@link JsonStreams}: shallow nesting, no repeated key).
 * Trees are read and written without the mapper ({@link JsonTrees}), exactly as it would; the mapper
 * (snake_case names, unknown properties ignored) is built at its first use, by what binds values other
 * than trees, so a function that handles only trees never pays for it at a cold start.
 */
public final class Json {
    private Json() {
    }

    /** Built on first use: a holder class, which the JVM initialises once. */
    private static final class Mapper {
        static final ObjectMapper MAPPER = JsonMapper.builder(JsonStreams.factory())
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        static final ObjectWriter CANONICAL = MAPPER.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    }

    /** The mapper, for what is not a tree: binding records and maps. Trees go through the methods below. */
    public static ObjectMapper mapper() {
        return Mapper.MAPPER;
    }

    /** The nodes every tree of the project is made of (the mapper's own factory). */
    public static JsonNodeFactory nodes() {
        return JsonNodeFactory.instance;
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /** A tree as the mapper's {@code writeValueAsString} writes it; anything else by the mapper. */
    public static String write(Object value) {
        try {
            if (value instanceof JsonNode node && JsonTrees.plain(node)) {
                StringWriter text = new StringWriter();
                try (JsonGenerator out = JsonStreams.factory().createGenerator(text)) {
                    JsonTrees.write(node, out);
                }
                return text.toString();
            }
            return mapper().writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A tree's content as one text, whatever the order of its fields: UTF-8, no whitespace, every
     * object's fields in the order of their names.
     */
    public static byte[] canonical(JsonNode node) {
        try {
            if (!JsonTrees.plain(node)) {
                return Mapper.CANONICAL.writeValueAsBytes(mapper().treeToValue(node, Object.class));
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (JsonGenerator out = JsonStreams.factory().createGenerator(bytes)) {
                JsonTrees.writeSorted(node, out);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tree written to {@code out}, which is closed after, as the mapper's {@code writeValue} does. */
    public static void write(JsonNode node, OutputStream out) throws IOException {
        if (!JsonTrees.plain(node)) {
            mapper().writeValue(out, node);
            return;
        }
        try (JsonGenerator generator = JsonStreams.factory().createGenerator(out)) {
            JsonTrees.write(node, generator);
        }
    }

    /** The document as a tree, as the mapper's {@code readTree(String)} reads it: a missing node when it is empty. */
    public static JsonNode tree(String json) throws JsonProcessingException {
        try (JsonParser parser = JsonStreams.factory().createParser(json)) {
            JsonNode node = JsonTrees.read(parser);
            return node == null ? MissingNode.getInstance() : node;
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            // Text in memory fails only as malformed JSON.
            throw new UncheckedIOException(e);
        }
    }

    /** The stream's document as a tree, as the mapper's {@code readTree(InputStream)} reads it. */
    public static JsonNode tree(InputStream json) throws IOException {
        try (JsonParser parser = JsonStreams.factory().createParser(json)) {
            JsonNode node = JsonTrees.read(parser);
            return node == null ? MissingNode.getInstance() : node;
        }
    }

    /**
     * The value at the parser's current (or next) token, as the mapper's {@code readTree(JsonParser)}
     * reads it: null when the input holds none. The parser stays open, to read what follows.
     */
    public static JsonNode tree(JsonParser parser) throws IOException {
        return JsonTrees.read(parser);
    }

    /** Parses trusted JSON (our own stored documents and messages); malformed input is a bug here. */
    public static JsonNode read(String json) {
        try {
            return tree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            return mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
