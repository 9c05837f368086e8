package run.creativeai.gateway.status;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Minutes per component, status and day: one atomic counter per component and status on one item
 * per (UTC) day, so 90 days of uptime are 90 small items, never a scan of samples.
 */
public interface UptimeLedger {
    /**
     * Counts the minute {@code minute} once in each component's status; false (nothing counted) when
     * that minute, or a later one, was counted already, so a sample run twice counts once.
     */
    boolean record(Instant minute, Map<ComponentId, ComponentStatus> statuses);

    /** The days from {@code from} to {@code to}, both included, that have minutes counted. */
    List<UptimeDay> days(LocalDate from, LocalDate to);

    /** One day's minutes, per component and status. */
    record UptimeDay(LocalDate date, Map<ComponentId, Map<ComponentStatus, Integer>> minutes) {
        public UptimeDay {
            minutes = Map.copyOf(minutes);
        }
    }
}
