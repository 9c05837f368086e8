package run.creativeai.gateway.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A maintenance window: its components are in {@code maintenance} from {@code startsAt} to
 * {@code endsAt} unless it is cancelled. It is started and completed by the status monitor as its
 * window opens and closes, and may be moved or cancelled by an operator before it completes.
 */
public record Maintenance(String id, String title, List<ComponentId> components, Instant startsAt, Instant endsAt,
        State state, List<NoticeUpdate> updates, long version) implements Notice {

    public enum State {
        SCHEDULED,
        IN_PROGRESS,
        COMPLETED,
        CANCELED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Optional<State> fromWire(String name) {
            for (State state : values()) {
                if (state.wireName().equals(name)) {
                    return Optional.of(state);
                }
            }
            return Optional.empty();
        }
    }

    public Maintenance {
        components = List.copyOf(components);
        updates = List.copyOf(updates);
        if (updates.isEmpty() || components.isEmpty() || !endsAt.isAfter(startsAt)) {
            throw new IllegalArgumentException("a maintenance window has components, a first update and ends after it starts");
        }
    }

    public static Maintenance schedule(String id, String title, List<ComponentId> components, Instant startsAt,
            Instant endsAt, String message, Instant at) {
        return new Maintenance(id, title, components, startsAt, endsAt, State.SCHEDULED,
                List.of(new NoticeUpdate(1, at, State.SCHEDULED.wireName(), message)), 1);
    }

    @Override
    public boolean isOpen() {
        return state == State.SCHEDULED || state == State.IN_PROGRESS;
    }

    @Override
    public Optional<Instant> closedAt() {
        return isOpen() ? Optional.empty() : Optional.of(latest().at());
    }

    /** Its components are in maintenance now. */
    public boolean coversAt(Instant now) {
        return state != State.CANCELED && state != State.COMPLETED && !now.isBefore(startsAt) && now.isBefore(endsAt);
    }

    /** A new entry of the timeline, in {@code next} state, with the window as given. */
    public Maintenance moved(State next, Instant from, Instant until, String message, Instant at) {
        if (!isOpen()) {
            throw new IllegalStateException("maintenance " + id + " is " + state.wireName());
        }
        List<NoticeUpdate> timeline = new ArrayList<>(updates);
        timeline.add(new NoticeUpdate(updates.size() + 1, at, next.wireName(), message));
        return new Maintenance(id, title, components, from, until, next, timeline, version + 1);
    }

    @Override
    public String eventType(NoticeUpdate update) {
        if (update.number() == 1) {
            return "status.maintenance.scheduled";
        }
        // What changed from the update before: the same state again is an operator's update.
        String before = updates.get(update.number() - 2).state();
        if (update.state().equals(before)) {
            return "status.maintenance.updated";
        }
        return switch (update.state()) {
            case "in_progress" -> "status.maintenance.started";
            case "completed" -> "status.maintenance.completed";
            case "canceled" -> "status.maintenance.canceled";
            default -> "status.maintenance.updated";
        };
    }
}
