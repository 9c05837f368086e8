package run.creativeai.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.limits.AdmissionDecision;
import run.creativeai.gateway.limits.LimitState;
import run.creativeai.gateway.limits.RateLimitRule;
import run.creativeai.gateway.limits.RateLimitRule.CountedPer;

/** What each seed's clients read from a limited response, and the IETF fields next to them. */
class RateLimitResponsesTest {
    private static final Instant NOW = Instant.parse("2026-05-05T18:15:53Z");
    private static final RateLimitRule THIRTY_PER_30_MINUTES = RateLimitRule.rolling("videos_per_30_minutes", RateLimitRule.Unit.VIDEOS,
            30, Duration.ofMinutes(30), CountedPer.KEY);
    private static final RateLimitRule PER_MINUTE = RateLimitRule.fixed("plan_requests_per_minute", RateLimitRule.Unit.REQUESTS, 100,
            Duration.ofMinutes(1), CountedPer.KEY);

    @Test
    void seed003sRefusalReadsAsItsDocumentationShowsPlusTheOtherSeedsFields() {
        LimitState full = new LimitState(THIRTY_PER_30_MINUTES, 30, NOW.plusSeconds(847));
        LimitState roomy = new LimitState(PER_MINUTE, 12, Instant.parse("2026-05-05T18:16:00Z"));
        ApiResponse response = RateLimitResponses.tooManyRequests(new AdmissionDecision.Refused(full, List.of(roomy, full)),
                NOW).toResponse();
        assertThat(response.status()).isEqualTo(429);
        Map<String, String> headers = response.headers();
        assertThat(headers).containsEntry("Retry-After", "847").containsEntry("X-RateLimit-Retry-After", "847")
                .containsEntry("X-RateLimit-Limit", "30").containsEntry("X-RateLimit-Remaining", "0")
                .containsEntry("X-RateLimit-Reset", Long.toString(NOW.plusSeconds(847).getEpochSecond()));
        assertThat(headers.get("RateLimit-Policy"))
                .isEqualTo("\"videos_per_30_minutes\";q=30;w=1800, \"plan_requests_per_minute\";q=100;w=60");
        assertThat(headers.get("RateLimit"))
                .isEqualTo("\"videos_per_30_minutes\";r=0;t=847, \"plan_requests_per_minute\";r=88;t=7");
        JsonNode body = Json.read(response.body());
        assertThat(body.path("success").asBoolean(true)).isFalse();
        assertThat(body.path("rate_limit").path("count").asInt()).isEqualTo(30);
        assertThat(body.path("rate_limit").path("limit").asInt()).isEqualTo(30);
        assertThat(body.path("rate_limit").path("remaining").asInt()).isZero();
        assertThat(body.path("rate_limit").path("reset_in_seconds").asInt()).isEqualTo(847);
        assertThat(body.path("rate_limit").path("reset_at").asText()).isEqualTo("2026-05-05T18:30:00Z");
        assertThat(body.path("detail").asText()).isEqualTo("Rate limit exceeded");
        assertThat(body.path("retry_after").asInt()).isEqualTo(847);
        assertThat(body.path("error").path("type").asText()).isEqualTo("rate_limit_error");
        assertThat(body.path("error").path("message").asText())
                .contains("you have used 30 of 30 videos in the last 30 minutes");
    }

    @Test
    void anAdmissionCarriesTheTightestRuleInTheXHeadersAndNoRetryAfter() {
        LimitState roomy = new LimitState(PER_MINUTE, 12, Instant.parse("2026-05-05T18:16:00Z"));
        LimitState tight = new LimitState(THIRTY_PER_30_MINUTES, 17, NOW.plusSeconds(600));
        Map<String, String> headers = RateLimitResponses.headers(new AdmissionDecision.Admitted(List.of(roomy, tight)), NOW);
        assertThat(headers).containsEntry("X-RateLimit-Limit", "30").containsEntry("X-RateLimit-Remaining", "13")
                .doesNotContainKey("Retry-After");
    }

    @Test
    void withoutAnyRuleThereAreNoLimitHeaders() {
        assertThat(RateLimitResponses.headers(new AdmissionDecision.Admitted(List.of()), NOW)).isEmpty();
    }
}
