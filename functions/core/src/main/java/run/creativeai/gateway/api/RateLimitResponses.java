package run.creativeai.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.limits.AdmissionDecision;
import run.creativeai.gateway.limits.LimitState;
import run.creativeai.gateway.limits.RateLimitRule;

/**
 * How limits are told to clients, in one place. On every limited response: the {@code X-RateLimit-*}
 * headers of seeds 002 and 003 for the tightest rule, and the IETF {@code RateLimit-Policy} and
 * {@code RateLimit} fields (draft-ietf-httpapi-ratelimit-headers) for every rule that applied,
 * tightest first. On refusal by a rate limit, a 429 whose one body every seed's clients can read
 * ({@code error}, plus {@code detail}/{@code retry_after} of seed 002, plus {@code success}/{@code rate_limit}
 * of seed 003), naming the rule; on refusal by the daily quota, seed 002's 403 with the quota body.
 */
public final class RateLimitResponses {
    private RateLimitResponses() {
    }

    public static Map<String, String> headers(AdmissionDecision decision, Instant now) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (decision.states().isEmpty()) {
            return headers;
        }
        LimitState tightest = decision.tightest();
        headers.put("X-RateLimit-Limit", Long.toString(tightest.limit()));
        headers.put("X-RateLimit-Remaining", Long.toString(tightest.remaining()));
        headers.put("X-RateLimit-Reset", Long.toString(epochSecondsRoundedUp(tightest.resetAt())));
        List<LimitState> ordered = new ArrayList<>(decision.states());
        ordered.remove(tightest);
        ordered.sort(Comparator.comparingLong(LimitState::remaining).thenComparing(LimitState::resetAt));
        ordered.add(0, tightest);
        List<String> policies = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (LimitState state : ordered) {
            String name = "\"" + state.rule().id() + "\"";
            policies.add(name + ";q=" + state.limit() + ";w=" + state.rule().window().toSeconds());
            current.add(name + ";r=" + state.remaining() + ";t=" + state.secondsUntilReset(now));
        }
        headers.put("RateLimit-Policy", String.join(", ", policies));
        headers.put("RateLimit", String.join(", ", current));
        if (decision instanceof AdmissionDecision.Refused) {
            String retryAfter = Long.toString(tightest.secondsUntilReset(now));
            headers.put("Retry-After", retryAfter);
            headers.put("X-RateLimit-Retry-After", retryAfter);
        }
        return headers;
    }

    /**
     * Whether a response header describes limits at the moment of the response: the {@code X-RateLimit-*}
     * headers and the IETF {@code RateLimit} fields. The one definition, for whoever carries limit
     * headers over (a batch) or leaves them out (a replayed response).
     */
    public static boolean isRateLimitHeader(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return lower.startsWith("x-ratelimit") || lower.startsWith("ratelimit");
    }

    /** The 429 for a rate limit; {@link #quotaExceeded} answers a refusal by the daily quota. */
    public static Reply tooManyRequests(AdmissionDecision.Refused refused, Instant now) {
        LimitState state = refused.refusedBy();
        RateLimitRule rule = state.rule();
        long retryAfter = state.secondsUntilReset(now);
        ObjectNode body = Json.object();
        body.putObject("error")
                .put("type", "rate_limit_error")
                .put("code", "rate_limit_exceeded")
                .put("message", message(state, retryAfter))
                .putNull("param")
                .put("rule", rule.id());
        body.put("detail", "Rate limit exceeded");
        body.put("retry_after", retryAfter);
        body.put("success", false);
        body.putObject("rate_limit")
                .put("rule", rule.id())
                .put("window", rule.kind().wireName())
                .put("window_seconds", rule.window().toSeconds())
                .put("per", rule.per().wireName())
                .put("unit", rule.unit().wireName())
                .put("count", state.used())
                .put("limit", state.limit())
                .put("remaining", state.remaining())
                .put("reset_in_seconds", retryAfter)
                .put("reset_at", Instant.ofEpochSecond(epochSecondsRoundedUp(state.resetAt())).toString());
        return new Reply(429, headers(refused, now), body);
    }

    /** Seed 002's 403 when the daily quota is used up: the quota body, with the error that says so. */
    public static Reply quotaExceeded(AdmissionDecision.Refused refused, ObjectNode quotaBody, Instant now) {
        LimitState state = refused.refusedBy();
        ObjectNode body = Json.object();
        body.putObject("error")
                .put("type", "quota_error")
                .put("code", "daily_quota_exceeded")
                .put("message", "Daily quota exceeded: " + state.used() + " of " + state.limit() + " "
                        + state.rule().unit().wireName() + " used today (" + state.rule().id() + "); it resets at "
                        + state.resetAt() + ".")
                .putNull("param")
                .put("rule", state.rule().id());
        body.put("detail", "Daily quota exceeded");
        body.setAll(quotaBody);
        return new Reply(403, headers(refused, now), body);
    }

    /** Whether a refusal is answered by {@link #quotaExceeded} rather than {@link #tooManyRequests}. */
    public static boolean isQuota(AdmissionDecision.Refused refused) {
        return refused.refusedBy().rule().enforcement() == RateLimitRule.Enforcement.QUOTA;
    }

    private static String message(LimitState state, long retryAfter) {
        RateLimitRule rule = state.rule();
        String window = describe(rule.window());
        String what = rule.kind() == RateLimitRule.Kind.ROLLING
                ? "you have used " + state.used() + " of " + state.limit() + " " + rule.unit().wireName() + " in the last " + window
                : state.limit() + " " + rule.unit().wireName() + " per " + window;
        return "Rate limit exceeded: " + what + " (" + rule.id() + ", per " + rule.per().wireName() + "). Retry in "
                + retryAfter + " s.";
    }

    static long epochSecondsRoundedUp(Instant instant) {
        return instant.getEpochSecond() + (instant.getNano() > 0 ? 1 : 0);
    }

    private static String describe(Duration window) {
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
