package run.creativeai.gateway.api;

import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP response: status, headers and a JSON body. */
public record ApiResponse(int status, Map<String, String> headers, String body) {

    public ApiResponse {
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    public ApiResponse withHeaders(Map<String, String> extra) {
        Map<String, String> merged = new LinkedHashMap<>(headers);
        merged.putAll(extra);
        return new ApiResponse(status, merged, body);
    }
}
