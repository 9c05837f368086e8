package run.creativeai.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebhookScheduleTest {
    private final WebhookSchedule schedule = WebhookSchedule.standard();
    private final Instant ended = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void threeAttemptsAtZeroFiveAndThirtySecondsAfterTheJobEndsEachGivenTenSeconds() {
        assertThat(schedule.attempts()).isEqualTo(3);
        assertThat(schedule.delayBefore(1, ended, ended)).isEqualTo(Duration.ZERO);
        assertThat(schedule.delayBefore(2, ended, ended.plusMillis(120))).isEqualTo(Duration.ofMillis(4880));
        assertThat(schedule.delayBefore(3, ended, ended.plusSeconds(15))).isEqualTo(Duration.ofSeconds(15));
        assertThat(schedule.attemptTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(schedule.hasAttempt(4)).isFalse();
    }

    @Test
    void anAttemptThatIsAlreadyDueIsNotDelayed() {
        assertThat(schedule.delayBefore(2, ended, ended.plusSeconds(12))).isEqualTo(Duration.ZERO);
    }

    @Test
    void theEventIdIsStablePerJobAndTerminalStatus() {
        var job = new run.creativeai.gateway.job.JobId("gen_01m83tj2edceznrqfnhgh605dq");
        assertThat(EventId.of(job, run.creativeai.gateway.job.JobStatus.SUCCEEDED))
                .isEqualTo(EventId.of(job, run.creativeai.gateway.job.JobStatus.SUCCEEDED))
                .isNotEqualTo(EventId.of(job, run.creativeai.gateway.job.JobStatus.CANCELED))
                .matches("evt_[0-9a-f]{32}");
    }
}
