package run.creativeai.gateway.status;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /**
     * {@code days} as they stand once {@code minute} is counted in {@code statuses}: what a read made
     * after {@link #record} would show, without reading again. A day that has that minute, or a later
     * one, counted already is left as read, so a run repeated for its minute shows it once.
     */
    static List<UptimeDay> withMinute(List<UptimeDay> days, Instant minute, Map<ComponentId, ComponentStatus> statuses) {
        LocalDate day = LocalDate.ofInstant(minute, ZoneOffset.UTC);
        List<UptimeDay> counted = new ArrayList<>();
        boolean found = false;
        for (UptimeDay existing : days) {
            if (existing.date().equals(day)) {
                counted.add(existing.counts(minute) ? existing : existing.plus(minute, statuses));
                found = true;
            } else {
                counted.add(existing);
            }
        }
        if (!found) {
            counted.add(new UptimeDay(day, Map.of(), Optional.empty()).plus(minute, statuses));
            counted.sort(Comparator.comparing(UptimeDay::date));
        }
        return counted;
    }

    /** One day's minutes, per component and status, and the last minute counted in it. */
    record UptimeDay(LocalDate date, Map<ComponentId, Map<ComponentStatus, Integer>> minutes, Optional<Instant> lastMinute) {
        /** A copy all the way down: a day read is what the ledger held then, whatever it counts after. */
        public UptimeDay {
            Map<ComponentId, Map<ComponentStatus, Integer>> copy = new LinkedHashMap<>();
            minutes.forEach((component, counts) -> {
                Map<ComponentStatus, Integer> byStatus = new EnumMap<>(ComponentStatus.class);
                byStatus.putAll(counts);
                copy.put(component, Collections.unmodifiableMap(byStatus));
            });
            minutes = Collections.unmodifiableMap(copy);
        }

        /** Whether {@code minute} is counted in this day: it, or a later minute, was. */
        boolean counts(Instant minute) {
            return lastMinute.filter(last -> !last.isBefore(minute)).isPresent();
        }

        /** This day with {@code minute} counted in each component's status. */
        UptimeDay plus(Instant minute, Map<ComponentId, ComponentStatus> statuses) {
            Map<ComponentId, Map<ComponentStatus, Integer>> added = new LinkedHashMap<>();
            minutes.forEach((component, counts) -> added
                    .computeIfAbsent(component, c -> new EnumMap<>(ComponentStatus.class)).putAll(counts));
            statuses.forEach((component, status) -> added
                    .computeIfAbsent(component, c -> new EnumMap<>(ComponentStatus.class)).merge(status, 1, Integer::sum));
            return new UptimeDay(date, added, Optional.of(minute));
        }
    }
}
