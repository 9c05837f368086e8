package run.creativeai.gateway.status;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.config.Fanout;
import run.creativeai.gateway.model.Model;
import run.creativeai.gateway.provider.CircuitBreaker;
import run.creativeai.gateway.provider.CircuitState;

/**
 * Works out every component's state and publishes the status document that {@code GET /v1/status}
 * serves as it is. Whoever changes what the page shows rebuilds it at once: the dispatcher whose
 * outcome opened or closed a circuit, an operator's command, the status monitor's run each minute.
 * A rebuild reads the circuits, the open and recent notices, the monitor's last readings and 90 days
 * of uptime: a handful of reads, once per change, never per request.
 */
public final class StatusBoard {
    /** Days of uptime the document carries, today included. */
    public static final int UPTIME_DAYS = 90;
    /** Days of closed notices the document carries. */
    public static final Duration HISTORY = Duration.ofDays(7);
    private static final Logger LOG = LoggerFactory.getLogger(StatusBoard.class);

    private final StatusCatalog catalog;
    private final CircuitBreaker circuits;
    private final NoticeStore notices;
    private final UptimeLedger uptime;
    private final ReadingsStore readings;
    private final StatusPublication publication;
    private final HealthPolicy policy;
    private final Fanout fanout;

    public StatusBoard(StatusCatalog catalog, CircuitBreaker circuits, NoticeStore notices, UptimeLedger uptime,
            ReadingsStore readings, StatusPublication publication, HealthPolicy policy) {
        this(catalog, circuits, notices, uptime, readings, publication, policy, Fanout.inOrder());
    }

    /** @param fanout how the independent reads of a rebuild are made (together, where the adapters can) */
    public StatusBoard(StatusCatalog catalog, CircuitBreaker circuits, NoticeStore notices, UptimeLedger uptime,
            ReadingsStore readings, StatusPublication publication, HealthPolicy policy, Fanout fanout) {
        this.catalog = catalog;
        this.circuits = circuits;
        this.notices = notices;
        this.uptime = uptime;
        this.readings = readings;
        this.publication = publication;
        this.policy = policy;
        this.fanout = fanout;
    }

    public StatusCatalog catalog() {
        return catalog;
    }

    /** The provider's circuit as it is now. */
    public CircuitState circuit(String provider, Instant now) {
        return circuits.describe(provider, now);
    }

    /** Every component's state now, from the circuits, the last readings and the open notices. */
    public StatusSnapshot snapshot(Instant now) {
        return snapshot(now, readings.latest().orElse(Readings.none(now)));
    }

    /**
     * The same, with readings just taken (the monitor's own run). The circuits of every provider the
     * page names (in one read where the store can) and the open notices are read together.
     */
    public StatusSnapshot snapshot(Instant now, Readings measured) {
        Set<String> providers = new LinkedHashSet<>();
        for (StatusComponent component : catalog.all()) {
            component.provider().ifPresent(providers::add);
        }
        for (StatusComponent component : catalog.all()) {
            if (component.isModel()) {
                Model model = catalog.models().find(component.id().value()).orElseThrow();
                catalog.models().chainFor(model).links().forEach(link -> providers.add(link.provider()));
            }
        }
        Fanout.Both<Map<String, CircuitState>, List<Notice>> read = fanout.both(
                () -> circuits.describeAll(providers, now), notices::open);
        Map<String, CircuitState> circuitStates = read.first();
        Map<ComponentId, ComponentStatus> base = new LinkedHashMap<>();
        Map<ComponentId, Optional<String>> serving = new LinkedHashMap<>();
        // The measured components as the monitor judged them, by its thresholds.
        base.put(ComponentId.API, measured.status(ComponentId.API));
        base.put(ComponentId.WEBHOOKS, measured.status(ComponentId.WEBHOOKS));
        base.put(ComponentId.QUEUES, measured.status(ComponentId.QUEUES));
        for (StatusComponent component : catalog.all()) {
            if (!component.isModel()) {
                continue;
            }
            Model model = catalog.models().find(component.id().value()).orElseThrow();
            Optional<String> server = catalog.models().chainFor(model).links().stream()
                    .filter(link -> circuitStates.get(link.provider()).isClosed())
                    .map(Model::id).findFirst();
            serving.put(component.id(), server);
            base.put(component.id(), policy.model(circuitStates.get(model.provider()),
                    server.filter(s -> !s.equals(model.id())).isPresent()));
        }
        List<Notice> open = read.second();
        Map<ComponentId, ComponentStatus> shown = new LinkedHashMap<>();
        base.forEach((id, status) -> {
            ComponentStatus worst = status;
            for (Notice notice : open) {
                if (notice instanceof Incident incident && incident.components().contains(id)) {
                    worst = worst.worse(incident.impact());
                }
            }
            boolean maintained = open.stream().anyMatch(n -> n instanceof Maintenance m && m.coversAt(now)
                    && m.components().contains(id));
            shown.put(id, maintained ? ComponentStatus.MAINTENANCE : worst);
        });
        return new StatusSnapshot(now, base, shown, circuitStates, serving, measured, open);
    }

    /** The document as of {@code now}, from reads alone: nothing is counted or published. */
    public String preview(Instant now) {
        return StatusDocument.render(catalog, snapshot(now), closedNotices(now), uptimeDays(now),
                LocalDate.ofInstant(now, ZoneOffset.UTC), 0);
    }

    /**
     * Rebuilds the document as of {@code now}, with the monitor's last readings, and publishes it;
     * returns it, published or not. Everything else it shows is read after its generation is taken,
     * the reads together.
     */
    public String refresh(Instant now) {
        Readings measured = readings.latest().orElse(Readings.none(now));
        long generation = nextGeneration();
        List<Object> read = fanout.all(List.<Supplier<?>>of(() -> snapshot(now, measured),
                () -> closedNotices(now), () -> uptimeDays(now)));
        @SuppressWarnings("unchecked")
        List<Notice> closed = (List<Notice>) read.get(1);
        @SuppressWarnings("unchecked")
        List<UptimeLedger.UptimeDay> days = (List<UptimeLedger.UptimeDay>) read.get(2);
        return publish(generation, now, (StatusSnapshot) read.get(0), closed, days);
    }

    /**
     * Takes the generation of the next document. A rebuild reads everything its document shows after
     * taking it, so that a document published under a later generation never shows older state.
     */
    public long nextGeneration() {
        return publication.nextGeneration();
    }

    /** The notices closed within {@link #HISTORY} of {@code now}, which the document lists. */
    public List<Notice> closedNotices(Instant now) {
        return notices.closedSince(now.minus(HISTORY));
    }

    /** The {@link #UPTIME_DAYS} days of uptime the document carries as of {@code now}. */
    public List<UptimeLedger.UptimeDay> uptimeDays(Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        return uptime.days(today.minusDays(UPTIME_DAYS - 1L), today);
    }

    /**
     * Renders the document from what was read after {@code generation} was taken ({@link #nextGeneration})
     * and publishes it under that generation; returns it, published or not.
     */
    public String publish(long generation, Instant now, StatusSnapshot snapshot, List<Notice> closed,
            List<UptimeLedger.UptimeDay> days) {
        String document = StatusDocument.render(catalog, snapshot, closed, days, LocalDate.ofInstant(now, ZoneOffset.UTC),
                generation);
        if (!publication.publish(generation, now, document)) {
            LOG.info("status document {} was not published: a later rebuild published first", generation);
        }
        return document;
    }
}
