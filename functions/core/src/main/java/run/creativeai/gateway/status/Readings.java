package run.creativeai.gateway.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.plan.Tier;

/**
 * What the status monitor measured at its last run, kept for whoever rebuilds the status document
 * before the next run: the API's answers and the webhook attempts over the window, each tier
 * queue's depth and the age of its oldest message, and since when each measured component has been
 * out of its bounds.
 *
 * @param statuses      the state of each measured component (api, webhooks, queues) by the monitor's policy
 * @param breachedSince per measured component, the run that first found it out of bounds, while it still is
 */
public record Readings(Instant at, Duration window, HealthCounters.Counts api, HealthCounters.Counts webhooks,
        Map<Tier, QueueReading> queues, Map<ComponentId, ComponentStatus> statuses,
        Map<ComponentId, Instant> breachedSince) {

    public Readings {
        queues = Map.copyOf(queues);
        statuses = Map.copyOf(statuses);
        breachedSince = Map.copyOf(breachedSince);
    }

    public ComponentStatus status(ComponentId component) {
        return statuses.getOrDefault(component, ComponentStatus.OPERATIONAL);
    }

    /** Nothing measured yet: every measured component counts as operational. */
    public static Readings none(Instant at) {
        Map<Tier, QueueReading> queues = new EnumMap<>(Tier.class);
        for (Tier tier : Tier.values()) {
            queues.put(tier, new QueueReading(0, Duration.ZERO, Optional.empty()));
        }
        return new Readings(at, Duration.ZERO, HealthCounters.Counts.NONE, HealthCounters.Counts.NONE, queues, Map.of(),
                Map.of());
    }

    /**
     * One tier queue.
     *
     * @param depth        jobs waiting, as SQS counts them
     * @param oldest       how long its oldest message had waited at least, by the probe
     * @param probeWaiting since when the probe now on the queue waits; empty when none does
     */
    public record QueueReading(long depth, Duration oldest, Optional<Instant> probeWaiting) {
    }

    public String toJson() {
        ObjectNode node = Json.object().put("at", at.toString()).put("window_seconds", window.toSeconds());
        node.putObject("api").put("total", api.total()).put("failed", api.failed());
        node.putObject("webhooks").put("total", webhooks.total()).put("failed", webhooks.failed());
        ObjectNode tiers = node.putObject("queues");
        queues.forEach((tier, q) -> {
            ObjectNode t = tiers.putObject(tier.wireName()).put("depth", q.depth()).put("oldest_seconds", q.oldest().toSeconds());
            q.probeWaiting().ifPresent(since -> t.put("probe_waiting_since", since.toString()));
        });
        ObjectNode judged = node.putObject("statuses");
        statuses.forEach((component, status) -> judged.put(component.value(), status.wireName()));
        ObjectNode breached = node.putObject("breached_since");
        breachedSince.forEach((component, since) -> breached.put(component.value(), since.toString()));
        return Json.write(node);
    }

    public static Readings fromJson(String json) {
        JsonNode node = Json.read(json);
        Map<Tier, QueueReading> queues = new EnumMap<>(Tier.class);
        for (Tier tier : Tier.values()) {
            JsonNode q = node.path("queues").path(tier.wireName());
            queues.put(tier, new QueueReading(q.path("depth").asLong(0), Duration.ofSeconds(q.path("oldest_seconds").asLong(0)),
                    q.hasNonNull("probe_waiting_since") ? Optional.of(Instant.parse(q.path("probe_waiting_since").asText()))
                            : Optional.empty()));
        }
        Map<ComponentId, ComponentStatus> judged = new LinkedHashMap<>();
        node.path("statuses").fields().forEachRemaining(e -> ComponentStatus.fromWire(e.getValue().asText())
                .ifPresent(status -> judged.put(new ComponentId(e.getKey()), status)));
        Map<ComponentId, Instant> breached = new LinkedHashMap<>();
        node.path("breached_since").fields().forEachRemaining(e ->
                breached.put(new ComponentId(e.getKey()), Instant.parse(e.getValue().asText())));
        return new Readings(Instant.parse(node.path("at").asText()), Duration.ofSeconds(node.path("window_seconds").asLong()),
                counts(node.path("api")), counts(node.path("webhooks")), queues, judged, breached);
    }

    private static HealthCounters.Counts counts(JsonNode node) {
        return new HealthCounters.Counts(node.path("total").asLong(0), node.path("failed").asLong(0));
    }
}
