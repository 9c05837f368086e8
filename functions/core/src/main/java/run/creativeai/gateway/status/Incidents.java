package run.creativeai.gateway.status;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.config.IdSource;
import run.creativeai.gateway.provider.Unavailability;

/**
 * Every change to incidents and maintenance windows, whoever makes it: an operator (through the
 * status command), the dispatcher whose outcome opened or closed a provider's circuit, the status
 * monitor from what it measured. Each change is one conditional write (a notice changed meanwhile is
 * read again and the change re-applied if it still applies), then the announcement of its update.
 * An operator's change is checked first and refused with a reason, nothing written; it publishes
 * the status document at once. Automatic changes are published by their caller, once per batch.
 */
public final class Incidents {
    public static final int MAX_TITLE = 200;
    public static final int MAX_MESSAGE = 2000;
    private static final int CONFLICT_RETRIES = 5;
    private static final Logger LOG = LoggerFactory.getLogger(Incidents.class);

    private final StatusCatalog catalog;
    private final NoticeStore store;
    private final NoticeAnnouncer announcer;
    private final StatusBoard board;
    private final IdSource ids;
    private final Clock clock;

    public Incidents(StatusCatalog catalog, NoticeStore store, NoticeAnnouncer announcer, StatusBoard board, IdSource ids,
            Clock clock) {
        this.catalog = catalog;
        this.store = store;
        this.announcer = announcer;
        this.board = board;
        this.ids = ids;
        this.clock = clock;
    }

    /** What became of an operator's change. */
    public sealed interface Result permits Done, Refused {
    }

    /** Written, announced and published: the notice as it now is. */
    public record Done(Notice notice) implements Result {
    }

    /** Not allowed, nothing changed; {@code reason} says why in the operator's words. */
    public record Refused(String reason) implements Result {
    }

    // ---------------------------------------------------------------- operators

    public Result open(String title, List<String> components, String impact, String message) {
        Optional<String> problem = text("title", title, MAX_TITLE).or(() -> text("message", message, MAX_MESSAGE));
        if (problem.isPresent()) {
            return new Refused(problem.get());
        }
        Optional<ComponentStatus> level = ComponentStatus.fromWire(impact).filter(ComponentStatus::isImpaired);
        if (level.isEmpty()) {
            return new Refused("impact must be degraded, partial_outage or major_outage, not " + clip(impact));
        }
        StatusCatalog.Selection selection = catalog.select(components);
        if (selection instanceof StatusCatalog.Selection.Refused refused) {
            return new Refused(refused.reason());
        }
        Instant now = clock.instant();
        Incident incident = Incident.open("inc_" + ids.next(), title.strip(),
                ((StatusCatalog.Selection.Chosen) selection).components(), level.get(), new IncidentCause.Operator(),
                "investigating", message.strip(), now);
        if (!store.create(incident)) {
            throw new IllegalStateException("incident id " + incident.id() + " collided with an existing one");
        }
        return published(incident, now);
    }

    /** A new entry of an open incident's timeline, optionally with a new impact; {@code resolved} closes it. */
    public Result update(String id, String state, String message, Optional<String> impact) {
        Optional<String> problem = text("message", message, MAX_MESSAGE);
        if (problem.isPresent()) {
            return new Refused(problem.get());
        }
        if (!Incident.STATES.contains(state)) {
            return new Refused("status must be one of investigating, identified, monitoring, resolved, not " + clip(state));
        }
        Optional<ComponentStatus> level = impact.map(i -> ComponentStatus.fromWire(i).filter(ComponentStatus::isImpaired)
                .orElse(null));
        if (impact.isPresent() && level.isEmpty()) {
            return new Refused("impact must be degraded, partial_outage or major_outage, not " + clip(impact.get()));
        }
        return changeIncident(id, incident -> incident.updated(state, message.strip(),
                level.orElse(incident.impact()), clock.instant()));
    }

    public Result resolve(String id, String message) {
        Optional<String> problem = text("message", message, MAX_MESSAGE);
        if (problem.isPresent()) {
            return new Refused(problem.get());
        }
        return changeIncident(id, incident -> incident.updated(Incident.RESOLVED, message.strip(), incident.impact(),
                clock.instant()));
    }

    public Result schedule(String title, List<String> components, Instant from, Instant until, String message) {
        Optional<String> problem = text("title", title, MAX_TITLE).or(() -> text("message", message, MAX_MESSAGE))
                .or(() -> window(from, until));
        if (problem.isPresent()) {
            return new Refused(problem.get());
        }
        StatusCatalog.Selection selection = catalog.select(components);
        if (selection instanceof StatusCatalog.Selection.Refused refused) {
            return new Refused(refused.reason());
        }
        Instant now = clock.instant();
        Maintenance maintenance = Maintenance.schedule("mnt_" + ids.next(), title.strip(),
                ((StatusCatalog.Selection.Chosen) selection).components(), from, until, message.strip(), now);
        if (!store.create(maintenance)) {
            throw new IllegalStateException("maintenance id " + maintenance.id() + " collided with an existing one");
        }
        return published(maintenance, now);
    }

    /** Moves a window not yet completed (or only says something about it), with a message for its timeline. */
    public Result reschedule(String id, Optional<Instant> from, Optional<Instant> until, String message) {
        Optional<String> problem = text("message", message, MAX_MESSAGE);
        if (problem.isPresent()) {
            return new Refused(problem.get());
        }
        return changeMaintenance(id, m -> m.moved(m.state(), from.orElse(m.startsAt()), until.orElse(m.endsAt()),
                message.strip(), clock.instant()), m -> window(from.orElse(m.startsAt()), until.orElse(m.endsAt())));
    }

    public Result cancel(String id, String message) {
        Optional<String> problem = text("message", message, MAX_MESSAGE);
        if (problem.isPresent()) {
            return new Refused(problem.get());
        }
        return changeMaintenance(id, m -> m.moved(Maintenance.State.CANCELED, m.startsAt(), m.endsAt(), message.strip(),
                clock.instant()), m -> Optional.empty());
    }

    private Result changeIncident(String id, UnaryOperator<Incident> change) {
        for (int i = 0; i < CONFLICT_RETRIES; i++) {
            Optional<Notice> found = store.find(id);
            if (found.isEmpty() || !(found.get() instanceof Incident incident)) {
                return new Refused("no incident " + clip(id));
            }
            if (!incident.isOpen()) {
                return new Refused("incident " + id + " was resolved at " + incident.resolvedAt().orElseThrow()
                        + "; a resolved incident takes no more updates (open a new one)");
            }
            Incident next = change.apply(incident);
            if (store.replace(incident, next)) {
                return published(next, clock.instant());
            }
        }
        throw new IllegalStateException("incident " + id + " kept changing under this update");
    }

    private Result changeMaintenance(String id, UnaryOperator<Maintenance> change,
            java.util.function.Function<Maintenance, Optional<String>> check) {
        for (int i = 0; i < CONFLICT_RETRIES; i++) {
            Optional<Notice> found = store.find(id);
            if (found.isEmpty() || !(found.get() instanceof Maintenance maintenance)) {
                return new Refused("no maintenance " + clip(id));
            }
            if (!maintenance.isOpen()) {
                return new Refused("maintenance " + id + " is " + maintenance.state().wireName() + " since "
                        + maintenance.closedAt().orElseThrow() + "; it takes no more changes");
            }
            Optional<String> problem = check.apply(maintenance);
            if (problem.isPresent()) {
                return new Refused(problem.get());
            }
            Maintenance next = change.apply(maintenance);
            if (store.replace(maintenance, next)) {
                return published(next, clock.instant());
            }
        }
        throw new IllegalStateException("maintenance " + id + " kept changing under this update");
    }

    private Result published(Notice notice, Instant now) {
        announcer.announceLatest(notice);
        board.refresh(now);
        return new Done(notice);
    }

    // ---------------------------------------------------------------- automatic

    /**
     * A provider's circuit tripped at {@code since}: its models' incident, opened once whoever reports
     * it. True when this call opened it.
     */
    public boolean providerDown(String provider, Instant since, Set<Unavailability> kinds, long failures,
            StatusSnapshot snapshot) {
        List<ComponentId> models = catalog.servedBy(provider);
        if (models.isEmpty()) {
            return false;
        }
        IncidentCause cause = new IncidentCause.ProviderOutage(provider, since);
        List<String> servers = models.stream().map(m -> snapshot.serving().getOrDefault(m, Optional.empty()))
                .flatMap(Optional::stream).filter(s -> !models.contains(new ComponentId(s))).distinct().toList();
        ComponentStatus impact = servers.isEmpty() ? ComponentStatus.MAJOR_OUTAGE : ComponentStatus.PARTIAL_OUTAGE;
        String names = models.stream().map(ComponentId::value).collect(Collectors.joining(", "));
        String why = kinds.isEmpty() ? "" : " (" + kinds.stream().map(Unavailability::wireName).sorted()
                .collect(Collectors.joining(", ")) + ")";
        String message = "The provider " + provider + " failed " + (failures > 0 ? failures + " calls" : "its calls")
                + " in a row" + why + "; its circuit is open, so no job is sent to it until a probe succeeds. "
                + (servers.isEmpty() ? "No other model of the chain can take its jobs."
                        : "Jobs for " + names + " run on " + String.join(", ", servers) + " meanwhile.");
        Incident incident = Incident.open(automaticId(cause), names + " unavailable", models, impact, cause,
                "investigating", message, since);
        if (!store.create(incident)) {
            return false;
        }
        LOG.warn("incident {} opened: provider {} is down since {}", incident.id(), provider, since);
        announcer.announceLatest(incident);
        return true;
    }

    /** The outage of {@code provider} that began at {@code since} is over: its incident resolved, once. */
    public boolean providerBack(String provider, Instant since, Instant now) {
        return resolveAutomatic(new IncidentCause.ProviderOutage(provider, since), "A call to " + provider
                + " succeeded: its circuit is closed and it serves its models' jobs again.", now);
    }

    /** A measured component out of bounds since {@code since}: its incident, once, or its impact raised. */
    public boolean signalBreached(ComponentId component, Instant since, ComponentStatus impact, String title,
            String message, Instant now) {
        IncidentCause cause = new IncidentCause.SignalBreach(component, since);
        Incident incident = Incident.open(automaticId(cause), title, List.of(component), impact, cause, "investigating",
                message, now);
        if (store.create(incident)) {
            LOG.warn("incident {} opened: {}", incident.id(), message);
            announcer.announceLatest(incident);
            return true;
        }
        for (int i = 0; i < CONFLICT_RETRIES; i++) {
            Optional<Notice> found = store.find(incident.id());
            if (found.isEmpty() || !(found.get() instanceof Incident current) || !current.isOpen()
                    || current.impact().compareTo(impact) >= 0) {
                return false;
            }
            Incident worse = current.updated("investigating", message, impact, now);
            if (store.replace(current, worse)) {
                announcer.announceLatest(worse);
                return true;
            }
        }
        return false;
    }

    /** The measured component is back in bounds: the incident of its breach since {@code since} resolved. */
    public boolean signalRecovered(ComponentId component, Instant since, String message, Instant now) {
        return resolveAutomatic(new IncidentCause.SignalBreach(component, since), message, now);
    }

    private boolean resolveAutomatic(IncidentCause cause, String message, Instant now) {
        String id = automaticId(cause);
        for (int i = 0; i < CONFLICT_RETRIES; i++) {
            Optional<Notice> found = store.find(id);
            if (found.isEmpty() || !(found.get() instanceof Incident incident) || !incident.isOpen()) {
                return false;
            }
            // Never before it opened: the monitor may run as of a moment the outage's own clock had not reached.
            Instant at = now.isBefore(incident.openedAt()) ? incident.openedAt() : now;
            Incident resolved = incident.updated(Incident.RESOLVED, message, incident.impact(), at);
            if (store.replace(incident, resolved)) {
                LOG.info("incident {} resolved", id);
                announcer.announceLatest(resolved);
                return true;
            }
        }
        return false;
    }

    /** Starts and completes maintenance windows as their times come; the updates made. */
    public int advanceMaintenance(Instant now) {
        int changed = 0;
        for (Notice notice : store.open()) {
            if (!(notice instanceof Maintenance maintenance)) {
                continue;
            }
            Maintenance current = maintenance;
            if (current.state() == Maintenance.State.SCHEDULED && !now.isBefore(current.startsAt())) {
                Maintenance started = current.moved(Maintenance.State.IN_PROGRESS, current.startsAt(), current.endsAt(),
                        "The maintenance window has begun.", now.isAfter(current.endsAt()) ? current.startsAt() : now);
                if (!store.replace(current, started)) {
                    continue;
                }
                announcer.announceLatest(started);
                current = started;
                changed++;
            }
            if (current.state() == Maintenance.State.IN_PROGRESS && !now.isBefore(current.endsAt())) {
                Maintenance completed = current.moved(Maintenance.State.COMPLETED, current.startsAt(), current.endsAt(),
                        "The maintenance window has ended.", now);
                if (store.replace(current, completed)) {
                    announcer.announceLatest(completed);
                    changed++;
                }
            }
        }
        return changed;
    }

    /** The open automatic incidents, by cause. */
    public List<Incident> openAutomatic(StatusSnapshot snapshot) {
        List<Incident> open = new ArrayList<>();
        for (Notice notice : snapshot.open()) {
            if (notice instanceof Incident incident && incident.cause().isAutomatic()) {
                open.add(incident);
            }
        }
        return open;
    }

    /** An automatic incident's id: derived from its cause, so whoever opens it first opens the only one. */
    static String automaticId(IncidentCause cause) {
        return "inc_" + IdSource.derived(cause.key());
    }

    // ---------------------------------------------------------------- checks

    private static Optional<String> text(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            return Optional.of(field + " must not be empty");
        }
        if (value.length() > max) {
            return Optional.of(field + " must be at most " + max + " characters, not " + value.length());
        }
        if (value.codePoints().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
            return Optional.of(field + " must not contain control characters (but a newline)");
        }
        return Optional.empty();
    }

    private Optional<String> window(Instant from, Instant until) {
        if (!until.isAfter(from)) {
            return Optional.of("the maintenance window must end after it starts: " + from + " to " + until);
        }
        if (!until.isAfter(clock.instant())) {
            return Optional.of("the maintenance window ends in the past (" + until + ")");
        }
        if (Duration.between(from, until).compareTo(Duration.ofDays(7)) > 0) {
            return Optional.of("a maintenance window lasts at most 7 days, not " + Duration.between(from, until));
        }
        return Optional.empty();
    }

    private static String clip(String text) {
        return text == null ? "nothing" : text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
