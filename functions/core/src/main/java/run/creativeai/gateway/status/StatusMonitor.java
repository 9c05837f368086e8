package run.creativeai.gateway.status;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.admission.QueueDepth;
import run.creativeai.gateway.config.Fanout;
import run.creativeai.gateway.plan.Tier;
import run.creativeai.gateway.provider.CircuitState;

/**
 * The status function's run, every minute: measures the API's 5xx share and webhook failures over
 * the last complete minutes (from the shared counters) and each tier queue's depth and oldest
 * message (by its probe); starts and completes maintenance windows; opens an incident for a measured
 * component out of bounds in two runs in a row and resolves it once back, and reconciles the
 * providers' incidents with their circuits (opening or resolving what a dispatcher could not);
 * announces any update not announced within a minute; counts the minute in every component's
 * uptime; and publishes the document. A run is as of a given moment, so a test can run it as of a
 * later one.
 */
public final class StatusMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(StatusMonitor.class);
    /** An update not announced this long after it was made is announced again. */
    static final Duration ANNOUNCE_AFTER = Duration.ofMinutes(1);

    private final StatusBoard board;
    private final Incidents incidents;
    private final NoticeStore notices;
    private final NoticeAnnouncer announcer;
    private final HealthCounters counters;
    private final QueueDepth depths;
    private final QueueProbes probes;
    private final ReadingsStore readings;
    private final UptimeLedger uptime;
    private final HealthPolicy policy;
    private final Fanout fanout;

    public StatusMonitor(StatusBoard board, Incidents incidents, NoticeStore notices, NoticeAnnouncer announcer,
            HealthCounters counters, QueueDepth depths, QueueProbes probes, ReadingsStore readings, UptimeLedger uptime,
            HealthPolicy policy) {
        this(board, incidents, notices, announcer, counters, depths, probes, readings, uptime, policy, Fanout.inOrder());
    }

    /** @param fanout how a run's independent calls are made (together, where the adapters can) */
    public StatusMonitor(StatusBoard board, Incidents incidents, NoticeStore notices, NoticeAnnouncer announcer,
            HealthCounters counters, QueueDepth depths, QueueProbes probes, ReadingsStore readings, UptimeLedger uptime,
            HealthPolicy policy, Fanout fanout) {
        this.board = board;
        this.incidents = incidents;
        this.notices = notices;
        this.announcer = announcer;
        this.counters = counters;
        this.depths = depths;
        this.probes = probes;
        this.readings = readings;
        this.uptime = uptime;
        this.policy = policy;
        this.fanout = fanout;
    }

    /** What one run did, and the document it published. */
    public record Report(Instant at, String status, int incidentsOpened, int incidentsResolved, int maintenanceUpdates,
            int reannounced, boolean minuteCounted, String document) {
    }

    /**
     * The document as the next run would publish it, from reads alone (what priming exercises): the
     * reads a run starts with, made as a run makes them; no probe is sent, nothing is counted, saved
     * or published.
     */
    public String preview(Instant now) {
        Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
        Instant from = minute.minus(policy.window());
        List<Supplier<?>> reads = new ArrayList<>();
        for (Tier tier : Tier.values()) {
            reads.add(() -> probes.waitingSince(tier));
        }
        for (Tier tier : Tier.values()) {
            reads.add(() -> depths.pending(tier));
        }
        reads.add(() -> counters.sum(HealthSignal.API_REQUESTS, from, minute));
        reads.add(() -> counters.sum(HealthSignal.WEBHOOK_ATTEMPTS, from, minute));
        fanout.all(reads);
        return board.preview(now);
    }

    /**
     * One run. Its calls are made in rounds of calls that do not depend on each other: the last
     * readings, the counters, each tier's probe and depth, the maintenance windows and the document's
     * generation; then the new readings saved while the state, the recent notices and the days of
     * uptime are read; the incidents reconciled (the state and notices read again if that changed
     * anything); then, together, the notices announced again, the minute of uptime counted and the
     * document published.
     */
    public Report run(Instant now) {
        Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
        Instant from = minute.minus(policy.window());
        // Each read lands in a slot of its own, filled by whichever thread makes it and read once all have ended.
        AtomicReference<Optional<Readings>> previous = new AtomicReference<>();
        AtomicReference<HealthCounters.Counts> api = new AtomicReference<>();
        AtomicReference<HealthCounters.Counts> webhooks = new AtomicReference<>();
        AtomicReference<Integer> maintenance = new AtomicReference<>();
        Map<Tier, AtomicReference<Optional<Instant>>> waiting = new EnumMap<>(Tier.class);
        Map<Tier, AtomicReference<Long>> pending = new EnumMap<>(Tier.class);
        // Longest first, for a fan-out with fewer lanes than calls (it starts them in this order): a probe is
        // two calls in a row (note one unless one waits, send it), and a queue's depth is a call to SQS.
        AtomicReference<Long> generation = new AtomicReference<>();
        List<Supplier<?>> first = new ArrayList<>();
        for (Tier tier : Tier.values()) {
            waiting.put(tier, new AtomicReference<>());
            pending.put(tier, new AtomicReference<>());
            first.add(into(waiting.get(tier), () -> probes.probe(tier, now)));
        }
        for (Tier tier : Tier.values()) {
            first.add(into(pending.get(tier), () -> depths.pending(tier)));
        }
        // The document's generation is taken in this round, so that everything it shows is read after it.
        first.add(into(generation, board::nextGeneration));
        first.add(into(api, () -> counters.sum(HealthSignal.API_REQUESTS, from, minute)));
        first.add(into(maintenance, () -> incidents.advanceMaintenance(now)));
        first.add(into(webhooks, () -> counters.sum(HealthSignal.WEBHOOK_ATTEMPTS, from, minute)));
        first.add(into(previous, readings::latest));
        fanout.all(first);
        Map<Tier, Readings.QueueReading> queues = new EnumMap<>(Tier.class);
        for (Tier tier : Tier.values()) {
            Optional<Instant> since = waiting.get(tier).get();
            Duration oldest = since.map(at -> Duration.between(at, now)).filter(d -> !d.isNegative()).orElse(Duration.ZERO);
            queues.put(tier, new Readings.QueueReading(pending.get(tier).get(), oldest, since));
        }
        Readings measured = judge(now, previous.get().orElse(Readings.none(now)), api.get(), webhooks.get(), queues);

        AtomicReference<StatusSnapshot> state = new AtomicReference<>();
        AtomicReference<List<Notice>> recentlyClosed = new AtomicReference<>();
        AtomicReference<List<UptimeLedger.UptimeDay>> days = new AtomicReference<>();
        fanout.all(List.<Supplier<?>>of(into(state, () -> board.snapshot(now, measured)),
                into(recentlyClosed, () -> board.closedNotices(now)), into(days, () -> board.uptimeDays(now)), () -> {
                    readings.save(measured);
                    return measured;
                }));
        StatusSnapshot snapshot = state.get();
        List<Notice> closed = recentlyClosed.get();
        // Incidents opened, resolved, and circuits found to have moved since the snapshot read them.
        int[] counts = new int[3];
        reconcileProviders(snapshot, now, counts);
        reconcileSignals(snapshot, measured, now, counts);
        // What this run changed, or found changed, is read again; otherwise the notices and state just read
        // are as current as a second read would be (a writer racing the run could as well come after it).
        StatusSnapshot after = snapshot;
        List<Notice> closedAfter = closed;
        if (counts[0] + counts[1] + counts[2] > 0) {
            Fanout.Both<StatusSnapshot, List<Notice>> again = fanout.both(() -> board.snapshot(now, measured),
                    () -> board.closedNotices(now));
            after = again.first();
            closedAfter = again.second();
        }
        // The last round: the minute counted in the statuses the document shows, the notices announced again,
        // and the document published with the minute in it: the days read before the count, with the minute
        // added unless they hold it already, as a read after the count would show them (whichever run of the
        // minute counted it). A count that fails fails the run after the document showed it; the next run's
        // document, read again, shows what was counted.
        StatusSnapshot shown = after;
        List<Notice> listed = closedAfter;
        List<UptimeLedger.UptimeDay> uptimeDays = UptimeLedger.withMinute(days.get(), minute, shown.statuses());
        AtomicReference<Integer> reannounced = new AtomicReference<>();
        AtomicReference<Boolean> counted = new AtomicReference<>();
        AtomicReference<String> document = new AtomicReference<>();
        fanout.all(List.<Supplier<?>>of(into(document, () -> board.publish(generation.get(), now, shown, listed, uptimeDays)),
                into(reannounced, () -> reannounce(now, shown.open(), listed)),
                into(counted, () -> uptime.record(minute, shown.statuses()))));
        return new Report(now, StatusDocument.overall(board.catalog(), after).wireName(), counts[0], counts[1],
                maintenance.get(), reannounced.get(), counted.get(), document.get());
    }

    /** {@code read}, its result also kept in {@code slot}. */
    private static <T> Supplier<T> into(AtomicReference<T> slot, Supplier<T> read) {
        return () -> {
            T value = read.get();
            slot.set(value);
            return value;
        };
    }

    private Readings judge(Instant now, Readings previous, HealthCounters.Counts api, HealthCounters.Counts webhooks,
            Map<Tier, Readings.QueueReading> queues) {
        Map<ComponentId, ComponentStatus> states = Map.of(ComponentId.API, policy.api(api),
                ComponentId.WEBHOOKS, policy.webhooks(webhooks), ComponentId.QUEUES, policy.queues(queues));
        Map<ComponentId, Instant> breached = new LinkedHashMap<>();
        states.forEach((component, state) -> {
            if (state.isImpaired()) {
                breached.put(component, previous.breachedSince().getOrDefault(component, now));
            }
        });
        return new Readings(now, policy.window(), api, webhooks, queues, states, breached);
    }

    private void reconcileProviders(StatusSnapshot snapshot, Instant now, int[] counts) {
        for (Map.Entry<String, CircuitState> circuit : snapshot.circuits().entrySet()) {
            CircuitState state = circuit.getValue();
            if (!state.isClosed() && state.trippedAt().isPresent()
                    && incidents.providerDown(circuit.getKey(), state.trippedAt().get(), state.kinds(), state.failures(),
                            snapshot)) {
                LOG.warn("incident for provider {} opened by the monitor: no dispatcher had", circuit.getKey());
                counts[0]++;
            }
        }
        for (Incident incident : incidents.openAutomatic(snapshot)) {
            if (incident.cause() instanceof IncidentCause.ProviderOutage outage) {
                // Read again: the snapshot read the circuits before the incidents, so an incident a dispatcher
                // opened in between would meet its circuit as it was before it tripped.
                CircuitState state = board.circuit(outage.provider(), now);
                if (!state.equals(snapshot.circuits().get(outage.provider()))) {
                    counts[2]++;
                }
                if ((state.isClosed() || !state.trippedAt().equals(Optional.of(outage.since())))
                        && incidents.providerBack(outage.provider(), outage.since(), now)) {
                    counts[1]++;
                }
            }
        }
    }

    private void reconcileSignals(StatusSnapshot snapshot, Readings measured, Instant now, int[] counts) {
        for (ComponentId component : List.of(ComponentId.API, ComponentId.WEBHOOKS, ComponentId.QUEUES)) {
            ComponentStatus state = snapshot.measured().get(component);
            Optional<Instant> since = Optional.ofNullable(measured.breachedSince().get(component));
            // Out of bounds in two runs in a row: one odd minute opens nothing.
            if (state.isImpaired() && since.isPresent() && since.get().isBefore(now)
                    && incidents.signalBreached(component, since.get(), state, title(component),
                            message(component, measured, policy), now)) {
                counts[0]++;
            }
            for (Incident incident : incidents.openAutomatic(snapshot)) {
                if (incident.cause() instanceof IncidentCause.SignalBreach breach && breach.component().equals(component)
                        && !since.equals(Optional.of(breach.since()))
                        && incidents.signalRecovered(component, breach.since(), recovered(component, policy), now)) {
                    counts[1]++;
                }
            }
        }
    }

    /** Every update of the open and recent notices that was not announced within a minute of being made. */
    private int reannounce(Instant now, List<Notice> open, List<Notice> closed) {
        List<Notice> recent = new ArrayList<>(open);
        recent.addAll(closed);
        if (recent.isEmpty()) {
            return 0;
        }
        Collection<String> ids = recent.stream().map(Notice::id).toList();
        Map<String, Integer> announced = notices.announced(ids);
        int sent = 0;
        for (Notice notice : recent) {
            int through = announced.getOrDefault(notice.id(), 0);
            for (NoticeUpdate update : notice.updates()) {
                if (update.number() > through && !update.at().plus(ANNOUNCE_AFTER).isAfter(now)) {
                    LOG.warn("update {} of {} was never announced; announcing it now", update.number(), notice.id());
                    announcer.announce(notice, update);
                    sent++;
                }
            }
        }
        return sent;
    }

    private static String title(ComponentId component) {
        if (component.equals(ComponentId.API)) {
            return "Elevated API error rate";
        }
        return component.equals(ComponentId.WEBHOOKS) ? "Webhook deliveries failing" : "Jobs waiting long to start";
    }

    private static String message(ComponentId component, Readings measured, HealthPolicy policy) {
        long minutes = measured.window().toMinutes();
        if (component.equals(ComponentId.API)) {
            return measured.api().failed() + " of " + measured.api().total() + " API requests ("
                    + percent(measured.api().failedShare()) + ") were answered with a server error in the last "
                    + minutes + " minutes.";
        }
        if (component.equals(ComponentId.WEBHOOKS)) {
            return measured.webhooks().failed() + " of " + measured.webhooks().total() + " webhook attempts ("
                    + percent(measured.webhooks().failedShare()) + ") got no 2xx answer in the last " + minutes + " minutes.";
        }
        StringBuilder slow = new StringBuilder();
        measured.queues().forEach((tier, q) -> {
            if (q.oldest().compareTo(policy.queueAge()) > 0) {
                slow.append(slow.length() == 0 ? "" : "; ").append("the ").append(tier.wireName())
                        .append(" queue's oldest job has waited ").append(q.oldest().toSeconds()).append(" s");
            }
        });
        return "Jobs wait longer than " + policy.queueAge().toSeconds() + " s to start: " + slow + ".";
    }

    private static String recovered(ComponentId component, HealthPolicy policy) {
        if (component.equals(ComponentId.API)) {
            return "The API's share of server errors is back under " + percent(policy.apiDegraded()) + ".";
        }
        if (component.equals(ComponentId.WEBHOOKS)) {
            return "Webhook attempts without a 2xx are back under " + percent(policy.webhooksDegraded()) + ".";
        }
        return "Jobs start within " + policy.queueAge().toSeconds() + " s again.";
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f %%", share * 100);
    }
}
