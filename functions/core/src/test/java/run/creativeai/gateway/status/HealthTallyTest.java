package run.creativeai.gateway.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.testing.InMemoryStatus;
import run.creativeai.gateway.testing.MutableClock;
import run.creativeai.gateway.webhook.WebhookTransport;

class HealthTallyTest {
    private final MutableClock clock = MutableClock.at("2026-12-01T10:00:05Z");
    private final InMemoryStatus.Counters counters = new InMemoryStatus.Counters();
    private final HealthTally tally = new HealthTally(HealthSignal.API_REQUESTS, counters, clock);

    private HealthCounters.Counts counted() {
        return counters.sum(HealthSignal.API_REQUESTS, Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"));
    }

    @Test
    void anInstanceWritesItsCountsOnceTenSecondsOrItsMinuteHavePassedNotOncePerEvent() {
        for (int i = 0; i < 50; i++) {
            tally.record(i % 10 == 0);
        }
        assertThat(counted()).isEqualTo(HealthCounters.Counts.NONE);
        clock.advance(Duration.ofSeconds(10));
        tally.record(false);
        assertThat(counted()).isEqualTo(new HealthCounters.Counts(51, 5));
        clock.advance(Duration.ofSeconds(40));
        tally.record(true);
        assertThat(counted()).as("kept until its minute ends").isEqualTo(new HealthCounters.Counts(51, 5));
        clock.advance(Duration.ofSeconds(10));
        tally.record(false);
        assertThat(counters.sum(HealthSignal.API_REQUESTS, Instant.parse("2026-12-01T10:00:00Z"),
                Instant.parse("2026-12-01T10:01:00Z"))).as("each count in its own minute")
                .isEqualTo(new HealthCounters.Counts(52, 6));
    }

    @Test
    void aCounterThatCannotBeWrittenNeverFailsTheEventCounted() {
        HealthTally broken = new HealthTally(HealthSignal.API_REQUESTS, new HealthCounters() {
            @Override
            public void add(HealthSignal signal, Instant minute, long total, long failed) {
                throw new IllegalStateException("table unreachable");
            }

            @Override
            public Counts sum(HealthSignal signal, Instant from, Instant to) {
                return Counts.NONE;
            }
        }, clock);
        broken.record(false);
        clock.advance(Duration.ofMinutes(1));
        broken.record(false);
    }

    @Test
    void aWebhookAttemptWithoutATwoHundredCountsAsFailed() {
        HealthTally attempts = new HealthTally(HealthSignal.WEBHOOK_ATTEMPTS, counters, clock);
        int[] status = {200};
        WebhookTransport transport = HealthTally.counted((url, headers, body, timeout) -> new WebhookTransport.Response(
                status[0] == 0 ? Optional.empty() : Optional.of(status[0]), Optional.empty(), Duration.ZERO), attempts);
        for (int code : new int[] {200, 204, 500, 0, 302}) {
            status[0] = code;
            transport.post(URI.create("https://example.com"), Map.of(), new byte[0], Duration.ofSeconds(10));
        }
        clock.advance(Duration.ofMinutes(1));
        transport.post(URI.create("https://example.com"), Map.of(), new byte[0], Duration.ofSeconds(10));
        assertThat(counters.sum(HealthSignal.WEBHOOK_ATTEMPTS, Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z")))
                .isEqualTo(new HealthCounters.Counts(5, 3));
    }
}
