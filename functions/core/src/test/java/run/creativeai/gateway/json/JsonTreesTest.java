package run.creativeai.gateway.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The project reads and writes trees without the mapper; every tree and every text, well formed or
 * not, must come out as the mapper makes it: the same nodes (an int stays an int node, a long a long
 * node), the same text, the same canonical bytes for idempotency keys, the same refusal word for word.
 */
class JsonTreesTest {
    private static final ObjectMapper MAPPER = Json.mapper();
    private static final ObjectWriter CANONICAL = MAPPER.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    @Property(tries = 300)
    void anyDocumentIsReadIntoTheNodesTheMapperReads(@ForAll("trees") JsonNode tree, @ForAll boolean pretty)
            throws Exception {
        String text = pretty ? MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tree) : MAPPER.writeValueAsString(tree);
        JsonNode mapper = MAPPER.readTree(text);
        JsonNode ours = Json.tree(text);
        assertThat(ours).isEqualTo(mapper);
        assertThat(shape(ours)).isEqualTo(shape(mapper));
        assertThat(Json.tree(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))).isEqualTo(mapper);
    }

    @Property(tries = 300)
    void anyTreeIsWrittenAsTheMapperWritesIt(@ForAll("trees") JsonNode tree) throws Exception {
        assertThat(Json.write(tree)).isEqualTo(MAPPER.writeValueAsString(tree));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Json.write(tree, out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(MAPPER.writeValueAsString(tree));
    }

    @Property(tries = 300)
    void theCanonicalBytesOfATreeAreThoseOfTheMapperWithItsMapsInOrder(@ForAll("trees") JsonNode tree) throws Exception {
        assertThat(Json.canonical(tree)).isEqualTo(CANONICAL.writeValueAsBytes(MAPPER.treeToValue(tree, Object.class)));
    }

    @Property(tries = 500)
    void aDamagedDocumentIsRefusedAsTheMapperRefusesIt(@ForAll("trees") JsonNode tree,
            @ForAll("damage") Damage damage) throws Exception {
        String text = damage.apply(MAPPER.writeValueAsString(tree));
        assertThat(outcome(() -> Json.tree(text))).isEqualTo(outcome(() -> MAPPER.readTree(text)));
    }

    @Example
    void emptyInputIsAMissingNodeAndARepeatedKeyIsRefused() throws Exception {
        assertThat(Json.tree("").isMissingNode()).isTrue();
        assertThat(Json.tree("")).isEqualTo(MAPPER.readTree(""));
        assertThat(Json.tree("  ")).isEqualTo(MAPPER.readTree("  "));
        String repeated = "{\"a\":1,\"a\":2}";
        assertThat(outcome(() -> Json.tree(repeated))).isEqualTo(outcome(() -> MAPPER.readTree(repeated)))
                .startsWith("JsonParseException: Duplicate field 'a'");
        String deep = "[".repeat(65) + "]".repeat(65);
        assertThat(outcome(() -> Json.tree(deep))).isEqualTo(outcome(() -> MAPPER.readTree(deep)))
                .startsWith("StreamConstraintsException");
    }

    @Example
    void aTreeHoldingAValueOfNoJsonTypeIsWrittenByTheMapper() {
        ObjectNode tree = Json.object();
        tree.putPOJO("when", List.of(1, 2));
        tree.put("bytes", new byte[] {1, 2, 3});
        assertThat(Json.write(tree)).isEqualTo("{\"when\":[1,2],\"bytes\":\"AQID\"}");
    }

    /** Each node's class, depth first: equal trees of other node classes (an int against a long) differ here. */
    private static String shape(JsonNode node) {
        StringBuilder out = new StringBuilder(node.getClass().getSimpleName());
        node.forEach(child -> out.append('(').append(shape(child)).append(')'));
        return out.toString();
    }

    private interface Read {
        JsonNode read() throws Exception;
    }

    /** The tree read, or the refusal: its class, message and where it points. */
    private static String outcome(Read read) {
        try {
            return "read " + read.read();
        } catch (JsonProcessingException e) {
            return e.getClass().getSimpleName() + ": " + e.getOriginalMessage() + " at " + Objects.toString(e.getLocation());
        } catch (Exception e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /** A change to a document's text: a cut, a character put in, one taken out. */
    record Damage(int at, int kind, char character) {
        String apply(String text) {
            int i = Math.floorMod(at, text.length() + 1);
            return switch (kind) {
                case 0 -> text.substring(0, i);
                case 1 -> text.substring(0, i) + character + text.substring(i);
                default -> i < text.length() ? text.substring(0, i) + text.substring(i + 1) : text;
            };
        }
    }

    @Provide
    Arbitrary<Damage> damage() {
        return Combinators.combine(Arbitraries.integers().between(0, 10_000), Arbitraries.integers().between(0, 2),
                Arbitraries.of('{', '}', '[', ']', ',', ':', '"', '\\', 'x', '1', '-', '.', 'e', ' ', '\u0000', 'n', 't'))
                .as(Damage::new);
    }

    @Provide
    Arbitrary<JsonNode> trees() {
        return tree(4);
    }

    private static Arbitrary<JsonNode> tree(int depth) {
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12).map(s -> (JsonNode) Json.nodes().textNode(s)),
                Arbitraries.integers().map(i -> (JsonNode) Json.nodes().numberNode(i)),
                Arbitraries.longs().map(l -> (JsonNode) Json.nodes().numberNode(l)),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(19), BigInteger.TEN.pow(30))
                        .map(b -> (JsonNode) Json.nodes().numberNode(b)),
                Arbitraries.doubles().map(d -> (JsonNode) Json.nodes().numberNode(d)),
                Arbitraries.of(Json.nodes().booleanNode(true), Json.nodes().booleanNode(false), Json.nodes().nullNode()));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<JsonNode> child = tree(depth - 1);
        Arbitrary<JsonNode> array = child.list().ofMaxSize(4).map(children -> {
            ArrayNode a = Json.array();
            children.forEach(a::add);
            return a;
        });
        Arbitrary<JsonNode> object = Arbitraries.maps(Arbitraries.strings().ofMaxLength(6), child).ofMaxSize(4).map(fields -> {
            ObjectNode o = Json.object();
            fields.forEach(o::set);
            return o;
        });
        return Arbitraries.frequencyOf(Tuple.of(3, leaf), Tuple.of(1, array),
                Tuple.of(1, object));
    }
}
