package run.creativeai.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import run.creativeai.gateway.json.Json;

/**
 * An answer before it is written out: status, headers and the JSON body as a tree, so a route that
 * gathers several answers (the batch) reads them as values instead of parsing what it rendered.
 */
public record Reply(int status, Map<String, String> headers, ObjectNode body) {
    public Reply {
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    public static Reply of(ApiError error) {
        return new Reply(error.status(), Map.of(), error.body());
    }

    public Reply withHeaders(Map<String, String> extra) {
        Map<String, String> merged = new LinkedHashMap<>(headers);
        merged.putAll(extra);
        return new Reply(status, merged, body);
    }

    public ApiResponse toResponse() {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Content-Type", "application/json");
        all.putAll(headers);
        return new ApiResponse(status, all, Json.write(body));
    }
}
