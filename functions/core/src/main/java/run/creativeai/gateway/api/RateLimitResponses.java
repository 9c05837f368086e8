package run.creativeai.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.limits.AdmissionDecision;
import run.creativeai.gateway.limits.LimitState;

/**
 * How limits are told to clients: the {@code X-RateLimit-*} headers for the tightest rule on every
 * limited response, and on refusal a 429 whose one body every seed's clients can read
 * ({@code error}, plus {@code detail}/{@code retry_after} of seed 002, plus {@code success}/{@code rate_limit} of seed 003).
 */
public final class RateLimitResponses {
    private RateLimitResponses() {
    }

    public static Map<String, String> headers(AdmissionDecision decision, Instant now) {
        LimitState tightest = decision.tightest();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-RateLimit-Limit", Long.toString(tightest.limit()));
        headers.put("X-RateLimit-Remaining", Long.toString(tightest.remaining()));
        headers.put("X-RateLimit-Reset", Long.toString(tightest.resetAt().getEpochSecond()));
        if (decision instanceof AdmissionDecision.Refused) {
            String retryAfter = Long.toString(tightest.secondsUntilReset(now));
            headers.put("Retry-After", retryAfter);
            headers.put("X-RateLimit-Retry-After", retryAfter);
        }
        return headers;
    }

    public static ApiResponse tooManyRequests(AdmissionDecision.Refused refused, Instant now) {
        LimitState state = refused.refusedBy();
        long retryAfter = state.secondsUntilReset(now);
        String message = "Rate limit exceeded: " + state.limit() + " " + state.rule().unit() + " per "
                + describe(state.rule().window()) + " (" + state.rule().id() + "). Retry in " + retryAfter + " s.";
        ObjectNode body = Json.object();
        body.putObject("error")
                .put("type", "rate_limit_error")
                .put("code", "rate_limit_exceeded")
                .put("message", message)
                .putNull("param")
                .put("rule", state.rule().id());
        body.put("detail", "Rate limit exceeded");
        body.put("retry_after", retryAfter);
        body.put("success", false);
        body.putObject("rate_limit")
                .put("rule", state.rule().id())
                .put("count", state.used())
                .put("limit", state.limit())
                .put("remaining", state.remaining())
                .put("reset_in_seconds", retryAfter)
                .put("reset_at", state.resetAt().toString());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.putAll(headers(refused, now));
        return new ApiResponse(429, headers, Json.write(body));
    }

    private static String describe(java.time.Duration window) {
        long seconds = window.toSeconds();
        if (seconds % 86400 == 0) {
            return seconds == 86400 ? "day" : seconds / 86400 + " days";
        }
        if (seconds % 3600 == 0) {
            return seconds == 3600 ? "hour" : seconds / 3600 + " hours";
        }
        if (seconds % 60 == 0) {
            return seconds == 60 ? "minute" : seconds / 60 + " minutes";
        }
        return seconds + " seconds";
    }
}
