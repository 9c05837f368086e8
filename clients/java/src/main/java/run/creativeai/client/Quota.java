package run.creativeai.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where the key's tenant stands ({@code GET /v1/quota}): its plan, the daily tasks (absent limits are
 * unlimited), the jobs holding a concurrency slot, its credits and the longest {@code Cancel-After}
 * its plan allows (absent: no bound); {@link #json()} has every rate limit rule with its window.
 */
public record Quota(String tier, OptionalLong dailyLimit, OptionalLong dailyUsed, OptionalLong concurrentLimit,
        long concurrentActive, Optional<Instant> resetsAt, OptionalLong creditBalance, OptionalLong creditsReserved,
        OptionalLong maxCancelAfterSeconds, JsonNode json) {

    static Quota of(JsonNode node) {
        JsonNode daily = node.path("daily_tasks");
        JsonNode concurrent = node.path("concurrent_tasks");
        JsonNode credits = node.path("credits");
        return new Quota(Json.text(node, "tier", ""), Json.number(daily, "limit"), Json.number(daily, "used"),
                Json.number(concurrent, "limit"), concurrent.path("active").asLong(), Json.instant(node, "resets_at"),
                Json.number(credits, "balance"), Json.number(credits, "reserved"),
                Json.number(node, "max_cancel_after_seconds"), node);
    }
}
