package run.creativeai.gateway.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON trees read and written with Jackson's streaming parser and generator alone, node for node as
 * the mapper reads and writes them ({@code JsonTreesTest} holds the two side by side). Building the
 * mapper is most of what JSON costs a cold start (about 150 of 200 ms in a fresh JVM with Lambda's
 * flags, BENCHMARKS.md), and the functions read and write little but trees: their events, queue
 * messages, configuration, provider answers, webhook payloads. A tree holding anything but JSON's own
 * values (a POJO, binary data) is not theirs to write: {@link #plain} tells, and {@link Json} hands
 * such a tree to the mapper.
 */
final class JsonTrees {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTrees() {
    }

    /**
     * The value at the parser's current token (or its next, if it has none yet), as the mapper's
     * {@code readTree(JsonParser)} reads it; null when the input holds no value at all.
     */
    static JsonNode read(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken() == null ? parser.nextToken() : parser.currentToken();
        return token == null ? null : value(parser, token);
    }

    private static JsonNode value(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> {
                // Names read as the mapper reads them (nextFieldName, which reads on into the value): the
                // parser words a malformed value after a name differently from nextToken's.
                ObjectNode object = NODES.objectNode();
                for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                    object.set(name, value(parser, parser.nextToken()));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                    array.add(value(parser, next));
                }
                yield array;
            }
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> switch (parser.getNumberType()) {
                case BIG_DECIMAL -> NODES.numberNode(parser.getDecimalValue());
                case FLOAT -> NODES.numberNode(parser.getFloatValue());
                default -> NODES.numberNode(parser.getDoubleValue());
            };
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            case VALUE_EMBEDDED_OBJECT -> NODES.pojoNode(parser.getEmbeddedObject());
            // A well-formed document never starts a value with a closing or name token; the parser refuses first.
            default -> throw new IllegalStateException("no JSON value starts with " + token);
        };
    }

    /** True when the tree holds only JSON's own values (objects, arrays, strings, numbers, booleans, nulls). */
    static boolean plain(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> {
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    if (!plain(field.getValue())) {
                        yield false;
                    }
                }
                yield true;
            }
            case ARRAY -> {
                for (JsonNode element : node) {
                    if (!plain(element)) {
                        yield false;
                    }
                }
                yield true;
            }
            case STRING, NUMBER, BOOLEAN, NULL -> true;
            default -> false;
        };
    }

    /** Writes a {@link #plain} tree as the mapper writes it. */
    static void write(JsonNode node, JsonGenerator out) throws IOException {
        write(node, out, false);
    }

    /**
     * Writes a {@link #plain} tree with every object's fields in the order of their names, as the mapper
     * writes the same tree bound to maps with {@code ORDER_MAP_ENTRIES_BY_KEYS}: one text for one content.
     */
    static void writeSorted(JsonNode node, JsonGenerator out) throws IOException {
        write(node, out, true);
    }

    private static void write(JsonNode node, JsonGenerator out, boolean sorted) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                out.writeStartObject();
                Iterable<Map.Entry<String, JsonNode>> fields = node.properties();
                if (sorted) {
                    TreeMap<String, JsonNode> byName = new TreeMap<>();
                    node.properties().forEach(field -> byName.put(field.getKey(), field.getValue()));
                    fields = byName.entrySet();
                }
                for (Map.Entry<String, JsonNode> field : fields) {
                    out.writeFieldName(field.getKey());
                    write(field.getValue(), out, sorted);
                }
                out.writeEndObject();
            }
            case ARRAY -> {
                out.writeStartArray();
                for (JsonNode element : node) {
                    write(element, out, sorted);
                }
                out.writeEndArray();
            }
            case STRING -> out.writeString(node.textValue());
            case NUMBER -> {
                switch (node.numberType()) {
                    case INT -> out.writeNumber(node.intValue());
                    case LONG -> out.writeNumber(node.longValue());
                    case BIG_INTEGER -> out.writeNumber(node.bigIntegerValue());
                    case FLOAT -> out.writeNumber(node.floatValue());
                    case BIG_DECIMAL -> out.writeNumber(node.decimalValue());
                    default -> out.writeNumber(node.doubleValue());
                }
            }
            case BOOLEAN -> out.writeBoolean(node.booleanValue());
            case NULL -> out.writeNull();
            default -> throw new IllegalArgumentException("not a plain JSON tree: " + node.getNodeType());
        }
    }
}
