package run.creativeai.gateway.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An incident: components that do not work as they should, since {@code openedAt}, with the
 * timeline of what is known. {@code impact} is the worst state it puts its components in.
 */
public record Incident(String id, String title, List<ComponentId> components, ComponentStatus impact,
        IncidentCause cause, List<NoticeUpdate> updates, Instant openedAt, Optional<Instant> resolvedAt, long version)
        implements Notice {
    /** The states of an incident's timeline, as operators and subscribers see them. */
    public static final Set<String> STATES = Set.of("investigating", "identified", "monitoring", "resolved");
    public static final String RESOLVED = "resolved";

    public Incident {
        components = List.copyOf(components);
        updates = List.copyOf(updates);
        if (updates.isEmpty() || components.isEmpty() || !impact.isImpaired()) {
            throw new IllegalArgumentException("an incident has components, an impact and a first update");
        }
    }

    public static Incident open(String id, String title, List<ComponentId> components, ComponentStatus impact,
            IncidentCause cause, String state, String message, Instant at) {
        return new Incident(id, title, components, impact, cause, List.of(new NoticeUpdate(1, at, state, message)), at,
                Optional.empty(), 1);
    }

    @Override
    public boolean isOpen() {
        return resolvedAt.isEmpty();
    }

    @Override
    public Optional<Instant> closedAt() {
        return resolvedAt;
    }

    public String state() {
        return latest().state();
    }

    /** A new entry of the timeline; {@code resolved} closes the incident. */
    public Incident updated(String state, String message, ComponentStatus newImpact, Instant at) {
        if (!isOpen()) {
            throw new IllegalStateException("incident " + id + " is resolved");
        }
        List<NoticeUpdate> timeline = new ArrayList<>(updates);
        timeline.add(new NoticeUpdate(updates.size() + 1, at, state, message));
        return new Incident(id, title, components, newImpact, cause, timeline, openedAt,
                RESOLVED.equals(state) ? Optional.of(at) : Optional.empty(), version + 1);
    }

    @Override
    public String eventType(NoticeUpdate update) {
        if (update.number() == 1) {
            return "status.incident.opened";
        }
        return RESOLVED.equals(update.state()) ? "status.incident.resolved" : "status.incident.updated";
    }
}
