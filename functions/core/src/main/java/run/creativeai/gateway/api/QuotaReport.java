package run.creativeai.gateway.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.billing.Balance;
import run.creativeai.gateway.concurrency.SlotUsage;
import run.creativeai.gateway.concurrency.TenantConcurrency;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.limits.LimitState;
import run.creativeai.gateway.limits.RateLimitRule;
import run.creativeai.gateway.plan.Limit;
import run.creativeai.gateway.plan.PlanLimits;
import run.creativeai.gateway.plan.WorkKind;

/**
 * The body of {@code GET /v1/quota} and of the daily-quota 403: seed 002's fields ({@code tier},
 * {@code daily_tasks}, {@code concurrent_tasks}, {@code resets_at}), seed 002's concurrency by kind
 * ({@code concurrent_generation_tasks}, {@code concurrent_workflows}, {@code concurrent_trainings},
 * each with its {@code limit} and {@code active} count), the longest {@code Cancel-After} its plan
 * allows ({@code max_cancel_after_seconds}), the tenant's credits
 * ({@code balance}: what new work may reserve; {@code reserved}: held by jobs not yet settled) and the
 * state of every other rule that applies to the key, the tenant's custom limits included. A number
 * the plan leaves unlimited is {@code null}.
 */
final class QuotaReport {
    private QuotaReport() {
    }

    static ObjectNode body(Principal principal, List<LimitState> states, TenantConcurrency.Running running,
            Balance credits, Instant now) {
        SlotUsage slots = running.jobs();
        PlanLimits limits = principal.plan().limits();
        ObjectNode body = Json.object()
                .put("tier", principal.plan().name())
                .put("priority", principal.plan().tier().wireName());
        ObjectNode daily = body.putObject("daily_tasks");
        Optional<LimitState> dailyState = states.stream()
                .filter(s -> s.rule().enforcement() == RateLimitRule.Enforcement.QUOTA).findFirst();
        if (dailyState.isPresent()) {
            daily.put("limit", dailyState.get().limit())
                    .put("used", dailyState.get().used())
                    .put("remaining", dailyState.get().remaining());
        } else {
            daily.putNull("limit").putNull("used").putNull("remaining");
        }
        limitOrNull(body.putObject("concurrent_tasks"), limits.concurrentTasks()).put("active", slots.active());
        limitOrNull(body.putObject("concurrent_video_jobs"), limits.video().concurrent())
                .put("active", slots.active(TenantConcurrency.VIDEO));
        for (WorkKind kind : WorkKind.values()) {
            limitOrNull(body.putObject(kind.concurrencyName()), limits.work(kind).concurrent())
                    .put("active", running.active(kind));
        }
        Instant midnight = Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), 86400) * 86400)
                .plus(Duration.ofDays(1));
        body.put("resets_at", dailyState.map(LimitState::resetAt).orElse(midnight).toString());
        limitOrNull(body, "max_cancel_after_seconds", limits.maxCancelAfterSeconds());
        body.putObject("credits").put("currency", "credits").put("balance", credits.available())
                .put("reserved", credits.reserved());
        ArrayNode rules = body.putArray("rate_limits");
        for (LimitState state : states) {
            rules.addObject()
                    .put("rule", state.rule().id())
                    .put("unit", state.rule().unit().wireName())
                    .put("window", state.rule().kind().wireName())
                    .put("window_seconds", state.rule().window().toSeconds())
                    .put("per", state.rule().per().wireName())
                    .put("limit", state.limit())
                    .put("used", state.used())
                    .put("remaining", state.remaining())
                    .put("reset_at", Instant.ofEpochSecond(RateLimitResponses.epochSecondsRoundedUp(state.resetAt()))
                            .toString());
        }
        return body;
    }

    private static ObjectNode limitOrNull(ObjectNode node, Limit limit) {
        return limitOrNull(node, "limit", limit);
    }

    private static ObjectNode limitOrNull(ObjectNode node, String field, Limit limit) {
        return limit.isLimited() ? node.put(field, limit.max()) : node.putNull(field);
    }
}
