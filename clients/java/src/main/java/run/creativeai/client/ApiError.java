package run.creativeai.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.util.Optional;

/**
 * An error answer as the API gives it: {@code {"error":{"type","code","message","param"}}} with its
 * status and headers. Also the value a batch task's refusal is, which is not thrown.
 */
public record ApiError(int status, String type, String code, String message, Optional<String> param,
        Optional<String> requestId, Optional<RateLimit> rateLimit, JsonNode body) {

    static ApiError of(int status, HttpHeaders headers, JsonNode body, Clock clock) {
        return of(status, body, headers.firstValue("X-Request-Id"), RateLimit.of(headers, body, clock));
    }

    static ApiError of(int status, JsonNode body, Optional<String> requestId, Optional<RateLimit> rateLimit) {
        JsonNode error = body.path("error");
        String message = Json.text(error, "message").or(() -> Json.text(body, "message"))
                .orElse("HTTP " + status + " without an error body");
        return new ApiError(status, Json.text(error, "type").orElse(""), Json.text(error, "code").orElse("http_" + status),
                message, Json.text(error, "param"), requestId, rateLimit, body);
    }

    /** The exception of this error's family, to throw. */
    public ApiException toException() {
        return ApiException.of(this);
    }

    String describe() {
        return status + " " + code + ": " + message + param.map(p -> " (" + p + ")").orElse("")
                + requestId.map(id -> " [request " + id + "]").orElse("");
    }
}
