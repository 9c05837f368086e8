package run.creativeai.gateway.adapters.lambda;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * What a scheduled function reads of EventBridge's scheduled event: its {@code time}, and the
 * {@code detail.restarted_at} the local cloud adds when the whole system has just started again.
 */
public final class ScheduledEvents {
    private ScheduledEvents() {
    }

    /**
     * The moment a run is as of: the later of the clock and the event's {@code time}, so a run never
     * looks at an earlier moment, and a local test can run a function as of a later one.
     */
    public static Instant asOf(Map<String, Object> event, Clock clock) {
        Instant now = clock.instant();
        if (event != null && event.get("time") instanceof String time) {
            try {
                Instant scheduled = Instant.parse(time);
                return scheduled.isAfter(now) ? scheduled : now;
            } catch (DateTimeParseException e) {
                return now;
            }
        }
        return now;
    }

    /** When the system started again, if the event says it has. */
    public static Optional<Instant> restartedAt(Map<String, Object> event) {
        if (event != null && event.get("detail") instanceof Map<?, ?> detail
                && detail.get("restarted_at") instanceof String time) {
            try {
                return Optional.of(Instant.parse(time));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
