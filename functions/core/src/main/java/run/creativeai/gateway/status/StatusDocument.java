package run.creativeai.gateway.status;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.plan.Tier;
import run.creativeai.gateway.provider.CircuitState;
import run.creativeai.gateway.provider.Unavailability;

/**
 * The status document's JSON, in this one place: what {@code GET /v1/status} returns and the page
 * draws. Uptime is per component and day over the last {@value StatusBoard#UPTIME_DAYS} days: the
 * share of the minutes sampled that day in which the component was not out (a partial or major
 * outage); minutes of maintenance count neither way; a day without samples is {@code null}.
 */
public final class StatusDocument {
    private StatusDocument() {
    }

    static String render(StatusCatalog catalog, StatusSnapshot snapshot, List<Notice> closed,
            List<UptimeLedger.UptimeDay> days, LocalDate today, long generation) {
        ObjectNode doc = Json.object().put("object", "status").put("updated_at", snapshot.at().toString())
                .put("generation", generation);
        ComponentStatus overall = overall(catalog, snapshot);
        doc.put("status", overall.wireName()).put("description", describe(catalog, snapshot, overall));

        LocalDate first = today.minusDays(StatusBoard.UPTIME_DAYS - 1L);
        Map<LocalDate, UptimeLedger.UptimeDay> byDate = days.stream()
                .collect(Collectors.toMap(UptimeLedger.UptimeDay::date, d -> d, (a, b) -> a));
        doc.putObject("uptime_window").put("days", StatusBoard.UPTIME_DAYS).put("first_day", first.toString())
                .put("last_day", today.toString());

        ArrayNode components = doc.putArray("components");
        for (StatusComponent component : catalog.all()) {
            ObjectNode node = components.addObject().put("id", component.id().value()).put("name", component.name())
                    .put("kind", component.kind()).put("status", snapshot.status(component.id()).wireName());
            details(node, component, snapshot);
            uptime(node.putObject("uptime"), component.id(), byDate, first);
        }

        ObjectNode incidents = doc.putObject("incidents");
        ArrayNode active = incidents.putArray("active");
        ArrayNode resolved = incidents.putArray("resolved");
        ObjectNode maintenance = doc.putObject("maintenance");
        ArrayNode scheduled = maintenance.putArray("scheduled");
        ArrayNode finished = maintenance.putArray("finished");
        snapshot.open().stream().sorted(Comparator.comparing((Notice n) -> n.updates().get(0).at()).reversed())
                .forEach(n -> (n instanceof Incident ? active : scheduled).add(NoticeJson.view(n)));
        closed.stream().sorted(Comparator.comparing((Notice n) -> n.closedAt().orElseThrow()).reversed())
                .forEach(n -> (n instanceof Incident ? resolved : finished).add(NoticeJson.view(n)));
        return Json.write(doc);
    }

    /**
     * The worst component, except that one model out is not the whole service out: a major outage
     * overall is the API's, or every model of a kind at once.
     */
    static ComponentStatus overall(StatusCatalog catalog, StatusSnapshot snapshot) {
        ComponentStatus worst = ComponentStatus.OPERATIONAL;
        for (StatusComponent component : catalog.all()) {
            worst = worst.worse(snapshot.status(component.id()));
        }
        if (worst != ComponentStatus.MAJOR_OUTAGE) {
            return worst;
        }
        boolean apiOut = snapshot.status(ComponentId.API) == ComponentStatus.MAJOR_OUTAGE;
        boolean aKindOut = catalog.all().stream().filter(StatusComponent::isModel)
                .collect(Collectors.groupingBy(StatusComponent::kind)).values().stream()
                .anyMatch(models -> models.stream().allMatch(m -> snapshot.status(m.id()) == ComponentStatus.MAJOR_OUTAGE));
        return apiOut || aKindOut ? ComponentStatus.MAJOR_OUTAGE : ComponentStatus.PARTIAL_OUTAGE;
    }

    private static String describe(StatusCatalog catalog, StatusSnapshot snapshot, ComponentStatus overall) {
        if (overall == ComponentStatus.OPERATIONAL) {
            return "All systems operational";
        }
        String affected = catalog.all().stream().filter(c -> snapshot.status(c.id()) != ComponentStatus.OPERATIONAL)
                .map(c -> c.name() + " " + snapshot.status(c.id()).wireName().replace('_', ' '))
                .collect(Collectors.joining(", "));
        return switch (overall) {
            case MAINTENANCE -> "Scheduled maintenance: " + affected;
            case DEGRADED -> "Degraded performance: " + affected;
            case PARTIAL_OUTAGE -> "Partial outage: " + affected;
            default -> "Major outage: " + affected;
        };
    }

    private static void details(ObjectNode node, StatusComponent component, StatusSnapshot snapshot) {
        Readings readings = snapshot.readings();
        if (component.id().equals(ComponentId.API)) {
            node.putObject("measured").put("window_seconds", readings.window().toSeconds())
                    .put("requests", readings.api().total()).put("errors_5xx", readings.api().failed())
                    .put("at", readings.at().toString());
        } else if (component.id().equals(ComponentId.WEBHOOKS)) {
            node.putObject("measured").put("window_seconds", readings.window().toSeconds())
                    .put("attempts", readings.webhooks().total()).put("failed", readings.webhooks().failed())
                    .put("at", readings.at().toString());
        } else if (component.id().equals(ComponentId.QUEUES)) {
            ArrayNode queues = node.putArray("queues");
            for (Tier tier : Tier.values()) {
                Readings.QueueReading q = readings.queues().get(tier);
                if (q == null) {
                    continue;
                }
                ObjectNode t = queues.addObject().put("tier", tier.wireName()).put("depth", q.depth())
                        .put("oldest_message_age_seconds", q.oldest().toSeconds());
                q.probeWaiting().ifPresentOrElse(since -> t.put("probe_waiting_since", since.toString()),
                        () -> t.putNull("probe_waiting_since"));
            }
            node.put("measured_at", readings.at().toString());
        } else {
            String provider = component.provider().orElseThrow();
            CircuitState circuit = snapshot.circuits().getOrDefault(provider, CircuitState.closed());
            ObjectNode p = node.putObject("provider").put("name", provider).put("circuit", circuit.status().wireName());
            instant(p, "since", circuit.trippedAt());
            if (circuit.isClosed()) {
                p.putNull("reason");
            } else {
                p.put("reason", circuit.failures() + " failures in a row ("
                        + circuit.kinds().stream().map(Unavailability::wireName).sorted().collect(Collectors.joining(", "))
                        + ")");
            }
            ArrayNode kinds = p.putArray("failure_kinds");
            circuit.kinds().stream().map(Unavailability::wireName).sorted().forEach(kinds::add);
            instant(p, "next_probe_at", circuit.probeAllowedAt());
            Optional<String> serving = snapshot.serving().getOrDefault(component.id(), Optional.empty());
            serving.ifPresentOrElse(s -> p.put("serving_model", s), () -> p.putNull("serving_model"));
        }
    }

    private static void uptime(ObjectNode node, ComponentId component, Map<LocalDate, UptimeLedger.UptimeDay> byDate,
            LocalDate first) {
        ArrayNode percent = node.putArray("days");
        ArrayNode down = node.putArray("down_minutes");
        long upTotal = 0;
        long countedTotal = 0;
        for (int i = 0; i < StatusBoard.UPTIME_DAYS; i++) {
            UptimeLedger.UptimeDay day = byDate.get(first.plusDays(i));
            Map<ComponentStatus, Integer> minutes = day == null ? Map.of() : day.minutes().getOrDefault(component, Map.of());
            long downMinutes = minutes.entrySet().stream().filter(e -> e.getKey().isDown()).mapToLong(Map.Entry::getValue).sum();
            long counted = minutes.entrySet().stream().filter(e -> e.getKey() != ComponentStatus.MAINTENANCE)
                    .mapToLong(Map.Entry::getValue).sum();
            if (counted == 0) {
                percent.addNull();
                down.add(downMinutes);
                continue;
            }
            percent.add(percentOf(counted - downMinutes, counted));
            down.add(downMinutes);
            upTotal += counted - downMinutes;
            countedTotal += counted;
        }
        if (countedTotal == 0) {
            node.putNull("percent");
        } else {
            node.put("percent", percentOf(upTotal, countedTotal));
        }
    }

    /** Rounded down to hundredths: 99.995 % is shown as 99.99, never as 100. */
    static BigDecimal percentOf(long part, long whole) {
        return BigDecimal.valueOf(part * 100).divide(BigDecimal.valueOf(whole), 2, RoundingMode.DOWN);
    }

    private static void instant(ObjectNode node, String field, Optional<java.time.Instant> value) {
        value.ifPresentOrElse(v -> node.put(field, v.toString()), () -> node.putNull(field));
    }
}
