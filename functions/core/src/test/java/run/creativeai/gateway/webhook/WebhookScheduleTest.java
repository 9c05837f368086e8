package run.creativeai.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebhookScheduleTest {
    private final WebhookSchedule schedule = WebhookSchedule.standard();

    @Test
    void threeAttemptsEachGivenTenSecondsTheSecondFiveSecondsAfterTheFirstFailedTheThirdThirtyAfterTheSecond() {
        assertThat(schedule.attempts()).isEqualTo(3);
        assertThat(schedule.gapAfterFailure(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(schedule.gapAfterFailure(2)).isEqualTo(Duration.ofSeconds(30));
        assertThat(schedule.attemptTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(schedule.hasAttempt(4)).isFalse();
        assertThatThrownBy(() -> schedule.gapAfterFailure(3)).as("nothing follows the last attempt")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theEventIdIsStablePerJobAndEvent() {
        var job = new run.creativeai.gateway.job.JobId("gen_01m83tj2edceznrqfnhgh605dq");
        assertThat(EventId.of(job, run.creativeai.gateway.job.JobStatus.SUCCEEDED))
                .isEqualTo(EventId.of(job, run.creativeai.gateway.job.JobStatus.SUCCEEDED))
                .isNotEqualTo(EventId.of(job, run.creativeai.gateway.job.JobStatus.CANCELED))
                .isNotEqualTo(EventId.started(job))
                .matches("evt_[0-9a-f]{32}");
        assertThat(EventId.started(job)).isEqualTo(EventId.started(job)).matches("evt_[0-9a-f]{32}");
    }
}
