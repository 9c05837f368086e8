package run.creativeai.gateway.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;

/**
 * How the project reads JSON at all, in one place: nesting kept shallow and a repeated key refused. The
 * project's mapper ({@link Json}) is built on this factory, and code that needs no mapper (a scheduled
 * function's event) parses with it directly, so the rules are the same either way without building one.
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
