package run.creativeai.gateway.idempotency;

import java.util.LinkedHashMap;
import java.util.Map;

/** The answer a request with an idempotency key was given, kept to be given again, byte for byte. */
public record StoredResponse(int status, Map<String, String> headers, String body) {
    public StoredResponse {
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }
}
