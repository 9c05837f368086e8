package run.creativeai.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * How long a response asks to be left alone: {@code Retry-After} in seconds or as an HTTP date
 * (RFC 9110), else {@code X-RateLimit-Retry-After}, else the body's {@code retry_after} (seed 002's
 * 429 body).
 */
final class RetryAfter {
    private RetryAfter() {
    }

    static Optional<Duration> of(HttpHeaders headers, JsonNode body, Clock clock) {
        return headers.firstValue("Retry-After").flatMap(v -> parse(v, clock))
                .or(() -> headers.firstValue("X-RateLimit-Retry-After").flatMap(v -> parse(v, clock)))
                .or(() -> body.path("retry_after").isNumber()
                        ? Optional.of(Duration.ofSeconds(Math.max(0, body.path("retry_after").asLong())))
                        : Optional.empty());
    }

    static Optional<Duration> parse(String value, Clock clock) {
        String text = value.trim();
        try {
            long seconds = Long.parseLong(text);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration left = Duration.between(clock.instant(), at);
                return Optional.of(left.isNegative() ? Duration.ZERO : left);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
