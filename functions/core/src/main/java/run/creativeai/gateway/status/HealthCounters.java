package run.creativeai.gateway.status;

import java.time.Instant;

/**
 * Per-minute counters shared by every instance: how many of a signal's events there were, and how
 * many failed. Written with atomic additions where the events happen, read by the status monitor.
 */
public interface HealthCounters {
    void add(HealthSignal signal, Instant minute, long total, long failed);

    /** The sums over the minutes from {@code from} (included) to {@code to} (excluded). */
    Counts sum(HealthSignal signal, Instant from, Instant to);

    record Counts(long total, long failed) {
        public static final Counts NONE = new Counts(0, 0);

        public double failedShare() {
            return total == 0 ? 0 : (double) failed / total;
        }
    }
}
