package run.creativeai.gateway.status;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.webhook.WebhookTransport;

/**
 * Counts one signal's events and failures where they happen (the API's answers, webhook attempts)
 * and adds them to the shared per-minute counters: an instance keeps its counts in memory and adds
 * them with one atomic write when its minute ends or every {@value #FLUSH_SECONDS} s, so counting
 * costs a write per instance and 10 s, not one per event. What an instance counted after its last
 * write is added at its next event; an instance that never gets one loses at most that much, on both
 * sides of the share. A failed write is logged, never thrown at the request.
 */
public final class HealthTally {
    static final long FLUSH_SECONDS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(HealthTally.class);

    private final HealthSignal signal;
    private final HealthCounters counters;
    private final Clock clock;
    private Instant minute;
    private Instant since;
    private long total;
    private long failed;

    public HealthTally(HealthSignal signal, HealthCounters counters, Clock clock) {
        this.signal = signal;
        this.counters = counters;
        this.clock = clock;
    }

    /** Counts nothing, writes nothing: for functions and tests that keep no health counts. */
    public static HealthTally none(HealthSignal signal) {
        return new HealthTally(signal, new HealthCounters() {
            @Override
            public void add(HealthSignal s, Instant m, long t, long f) {
            }

            @Override
            public Counts sum(HealthSignal s, Instant from, Instant to) {
                return Counts.NONE;
            }
        }, Clock.systemUTC());
    }

    /** Counts every attempt {@code transport} makes; one without a 2xx (or without an answer) as failed. */
    public static WebhookTransport counted(WebhookTransport transport, HealthTally tally) {
        return (url, headers, body, timeout) -> {
            WebhookTransport.Response response;
            try {
                response = transport.post(url, headers, body, timeout);
            } catch (RuntimeException e) {
                tally.record(true);
                throw e;
            }
            tally.record(response.statusCode().filter(code -> code >= 200 && code < 300).isEmpty());
            return response;
        };
    }

    public void record(boolean failure) {
        Instant now = clock.instant();
        Instant thisMinute = now.truncatedTo(ChronoUnit.MINUTES);
        Pending ended = null;
        Pending due = null;
        synchronized (this) {
            if (minute != null && !minute.equals(thisMinute)) {
                ended = take();
            }
            if (minute == null) {
                minute = thisMinute;
                since = now;
            }
            total++;
            if (failure) {
                failed++;
            }
            if (!now.isBefore(since.plus(Duration.ofSeconds(FLUSH_SECONDS)))) {
                due = take();
            }
        }
        write(ended);
        write(due);
    }

    private Pending take() {
        Pending pending = new Pending(minute, total, failed);
        minute = null;
        total = 0;
        failed = 0;
        return pending;
    }

    private void write(Pending pending) {
        if (pending == null || pending.total() == 0) {
            return;
        }
        try {
            counters.add(signal, pending.minute(), pending.total(), pending.failed());
        } catch (RuntimeException e) {
            LOG.warn("{} of {} in the minute of {} were not counted for the status page", pending.total(), signal,
                    pending.minute(), e);
        }
    }

    private record Pending(Instant minute, long total, long failed) {
    }
}
