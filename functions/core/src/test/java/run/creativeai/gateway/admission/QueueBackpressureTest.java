package run.creativeai.gateway.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.plan.Tier;
import run.creativeai.gateway.testing.MutableClock;

class QueueBackpressureTest {
    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final Map<Tier, Long> depth = new EnumMap<>(Map.of(Tier.FREE, 0L, Tier.PRO, 0L, Tier.ENTERPRISE, 0L));
    private final AtomicInteger reads = new AtomicInteger();
    private final QueueBackpressure backpressure = new QueueBackpressure(tier -> {
        reads.incrementAndGet();
        return depth.get(tier);
    }, 10_000, clock);

    @Test
    void tenThousandPendingJobsStillQueueAndOneMoreIsA503WithRetryAfter() {
        depth.put(Tier.FREE, 10_000L);
        assertThat(backpressure.retryAfter(Tier.FREE)).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        depth.put(Tier.FREE, 10_001L);
        assertThat(backpressure.retryAfter(Tier.FREE)).contains(Duration.ofSeconds(5));
    }

    @Test
    void retryAfterGrowsWithTheBacklogFromFiveToSixtySeconds() {
        depth.put(Tier.PRO, 12_550L);
        assertThat(backpressure.retryAfter(Tier.PRO)).contains(Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(1));
        depth.put(Tier.PRO, 500_000L);
        assertThat(backpressure.retryAfter(Tier.PRO)).contains(Duration.ofSeconds(60));
    }

    @Test
    void aFullFreeQueueNeverHoldsUpEnterpriseWork() {
        depth.put(Tier.FREE, 50_000L);
        assertThat(backpressure.retryAfter(Tier.FREE)).isPresent();
        assertThat(backpressure.retryAfter(Tier.ENTERPRISE)).isEmpty();
    }

    @Test
    void theQueueIsAskedAtMostOnceASecondPerTier() {
        for (int i = 0; i < 50; i++) {
            backpressure.retryAfter(Tier.FREE);
        }
        assertThat(reads).hasValue(1);
        clock.advance(Duration.ofSeconds(1));
        backpressure.retryAfter(Tier.FREE);
        assertThat(reads).hasValue(2);
    }
}
