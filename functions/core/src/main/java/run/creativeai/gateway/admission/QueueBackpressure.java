package run.creativeai.gateway.admission;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.plan.Tier;

/**
 * Seeds 000 and 002: past {@value #DEFAULT_MAX_PENDING} jobs waiting in a tier's queue, new work for
 * that tier is answered 503 with Retry-After instead of being queued. The depth is the queue's own
 * count, read at most once a second per instance, so no counter item becomes a hot spot; the same
 * reading is what {@code X-Queue-Depth} and a queued job's view show, so it is up to a second old on
 * top of SQS's own approximation. Retry-After grows with the backlog: 5 s at the threshold, a second
 * more per 100 jobs beyond, at most 60 s (the seed's "usually 5-60 s").
 */
public final class QueueBackpressure {
    public static final long DEFAULT_MAX_PENDING = 10_000;
    private static final Duration REFRESH = Duration.ofSeconds(1);
    private static final long MIN_RETRY_SECONDS = 5;
    private static final long MAX_RETRY_SECONDS = 60;
    private static final long JOBS_PER_SECOND_OF_RETRY = 100;

    private final QueueDepth depth;
    private final long maxPending;
    private final Clock clock;
    private final Map<Tier, QueueReading> readings = new EnumMap<>(Tier.class);

    public QueueBackpressure(QueueDepth depth, long maxPending, Clock clock) {
        if (maxPending < 1) {
            throw new IllegalArgumentException("the queue depth limit must be positive");
        }
        this.depth = depth;
        this.maxPending = maxPending;
        this.clock = clock;
    }

    /** Empty while the tier's queue has room; otherwise how long the client should wait. */
    public Optional<Duration> retryAfter(Tier tier) {
        return retryAfter(reading(tier));
    }

    /** The same, for a reading already taken. */
    public Optional<Duration> retryAfter(QueueReading reading) {
        long pending = reading.pending();
        if (pending <= maxPending) {
            return Optional.empty();
        }
        long seconds = MIN_RETRY_SECONDS + (pending - maxPending) / JOBS_PER_SECOND_OF_RETRY;
        return Optional.of(Duration.ofSeconds(Math.min(MAX_RETRY_SECONDS, seconds)));
    }

    /** The tier queue's depth as this instance last read it, read again when older than a second. */
    public synchronized QueueReading reading(Tier tier) {
        Instant now = clock.instant();
        QueueReading last = readings.get(tier);
        if (last == null || !now.isBefore(last.readAt().plus(REFRESH)) || now.isBefore(last.readAt())) {
            last = new QueueReading(tier, depth.pending(tier), now);
            readings.put(tier, last);
        }
        return last;
    }
}
