package run.creativeai.gateway.adapters.metrics;

import java.util.List;
import java.util.Map;

/**
 * One observation: metric values that share dimensions, published under each of the dimension sets
 * (an empty set publishes the metric with no dimension), plus properties that ride along in the log
 * line for Logs Insights but are not dimensions (a job id must never become a dimension).
 */
public record MetricDocument(List<List<String>> dimensionSets, Map<String, String> dimensions,
        List<Value> values, Map<String, String> properties) {
    public MetricDocument {
        dimensionSets = dimensionSets.stream().map(List::copyOf).toList();
        dimensions = Map.copyOf(dimensions);
        values = List.copyOf(values);
        properties = Map.copyOf(properties);
        for (List<String> set : dimensionSets) {
            if (!dimensions.keySet().containsAll(set)) {
                throw new IllegalArgumentException("dimension set " + set + " names a dimension without a value " + dimensions);
            }
        }
    }

    /** A value with its CloudWatch unit ({@code Count}, {@code Milliseconds}). */
    public record Value(String name, String unit, double value) {
        public static Value count(String name, long value) {
            return new Value(name, "Count", value);
        }

        public static Value millis(String name, long value) {
            return new Value(name, "Milliseconds", value);
        }
    }

    /** The value of the metric called {@code name} in this document, or 0 when it is not here. */
    public double value(String name) {
        return values.stream().filter(v -> v.name().equals(name)).mapToDouble(Value::value).sum();
    }
}
