package run.creativeai.gateway.adapters.lambda;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** What a scheduled function reads of EventBridge's scheduled event: its {@code time}, and nothing else. */
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
}
