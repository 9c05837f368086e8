package run.creativeai.gateway.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;

/**
 * How the project reads JSON at all, in one place: nesting kept shallow and a repeated key refused.
 * Trees ({@link Json}), the mapper it builds when a value is not a tree, and code that reads a stream
 * itself (a scheduled function's event) all parse with this factory, so the rules are the same every way.
 */
public final class JsonStreams {
    // Bodies are bounded by the API's size limit; keep nesting shallow so hostile input stays cheap.
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private JsonStreams() {
    }

    public static JsonFactory factory() {
        return FACTORY;
    }
}
