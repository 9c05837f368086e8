package run.creativeai.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where a key stood on its limits, as a response told it: the {@code X-RateLimit-*} headers for the
 * tightest rule, the IETF {@code RateLimit-Policy} and {@code RateLimit} fields for every rule as sent,
 * and on a refusal {@code Retry-After} and the rule that refused (from the 429 body).
 */
public record RateLimit(Optional<String> rule, OptionalLong limit, OptionalLong remaining, Optional<Instant> reset,
        Optional<Duration> retryAfter, Optional<String> policy, Optional<String> current) {

    /** The limits a response describes, if it describes any. */
    static Optional<RateLimit> of(HttpHeaders headers, JsonNode body, Clock clock) {
        OptionalLong limit = number(headers, "X-RateLimit-Limit");
        OptionalLong remaining = number(headers, "X-RateLimit-Remaining");
        OptionalLong reset = number(headers, "X-RateLimit-Reset");
        Optional<Duration> retryAfter = RetryAfter.of(headers, body, clock);
        Optional<String> rule = Json.text(body.path("error"), "rule").or(() -> Json.text(body.path("rate_limit"), "rule"));
        Optional<String> policy = headers.firstValue("RateLimit-Policy");
        Optional<String> current = headers.firstValue("RateLimit");
        if (limit.isEmpty() && remaining.isEmpty() && retryAfter.isEmpty() && rule.isEmpty() && policy.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RateLimit(rule, limit, remaining,
                reset.isPresent() ? Optional.of(Instant.ofEpochSecond(reset.getAsLong())) : Optional.empty(),
                retryAfter, policy, current));
    }

    private static OptionalLong number(HttpHeaders headers, String name) {
        Optional<String> value = headers.firstValue(name);
        try {
            return value.isPresent() ? OptionalLong.of(Long.parseLong(value.get().trim())) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
