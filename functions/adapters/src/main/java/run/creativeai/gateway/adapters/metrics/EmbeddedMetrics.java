package run.creativeai.gateway.adapters.metrics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import run.creativeai.gateway.json.Json;

/**
 * Writes metrics in CloudWatch Embedded Metric Format: each observation is one JSON line on
 * standard output, which Lambda sends to the function's log group, where CloudWatch extracts the
 * metrics (no PutMetricData call, no client, nothing to flush at the end of an invocation). Every
 * document is also handed to the taps: a process that hosts functions (the local cloud) counts
 * them; in Lambda nothing taps.
 */
public final class EmbeddedMetrics {
    private static final List<Consumer<MetricDocument>> TAPS = new CopyOnWriteArrayList<>();

    private final String namespace;
    private final Consumer<String> out;
    private final Clock clock;

    /** @param out where each JSON line goes: {@code System.out::println} in a function */
    public EmbeddedMetrics(String namespace, Consumer<String> out, Clock clock) {
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalArgumentException("a metrics namespace is required");
        }
        this.namespace = namespace;
        this.out = out;
        this.clock = clock;
    }

    /** Lets the hosting process see every document any function of it emits, from now on. */
    public static void tap(Consumer<MetricDocument> tap) {
        TAPS.add(tap);
    }

    public static void untap(Consumer<MetricDocument> tap) {
        TAPS.remove(tap);
    }

    public String namespace() {
        return namespace;
    }

    public void emit(MetricDocument document) {
        out.accept(format(document));
        for (Consumer<MetricDocument> tap : TAPS) {
            tap.accept(document);
        }
    }

    /** The EMF line: {@code _aws.CloudWatchMetrics} names the metrics, the root holds dimensions, values and properties. */
    String format(MetricDocument document) {
        ObjectNode root = Json.object();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", clock.millis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", namespace);
        ArrayNode sets = directive.putArray("Dimensions");
        document.dimensionSets().forEach(set -> set.forEach(sets.addArray()::add));
        ArrayNode metrics = directive.putArray("Metrics");
        for (MetricDocument.Value value : document.values()) {
            metrics.addObject().put("Name", value.name()).put("Unit", value.unit());
        }
        document.properties().forEach(root::put);
        document.dimensions().forEach(root::put);
        for (MetricDocument.Value value : document.values()) {
            if (value.value() == Math.rint(value.value())) {
                root.put(value.name(), (long) value.value());
            } else {
                root.put(value.name(), value.value());
            }
        }
        return Json.write(root);
    }

    /** A document with one dimension set. */
    public static MetricDocument document(Map<String, String> dimensions, List<MetricDocument.Value> values,
            Map<String, String> properties) {
        return new MetricDocument(List.of(List.copyOf(dimensions.keySet())), dimensions, values, properties);
    }
}
