package run.creativeai.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.admission.QueueBackpressure;
import run.creativeai.gateway.admission.QueueReading;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.testing.InMemoryJobStore;
import run.creativeai.gateway.testing.Jobs;
import run.creativeai.gateway.testing.TestOutputLinks;

/** A job's view while it waits says where: its tier's queue, how deep it was last read, and how long it has waited. */
class JobRepliesTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void aQueuedJobShowsItsTierTheQueuesDepthAndHowLongItHasWaitedAndARunningOneDoesNot() {
        Job queued = Jobs.queuedImage("sdxl", T0);
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        JobReplies replies = new JobReplies(new InMemoryJobStore(), new QueueBackpressure(tier -> 0, 10, clock),
                TestOutputLinks.standard(), clock);
        QueueReading reading = new QueueReading(queued.tier(), 42, T0.plusSeconds(2));

        Reply waiting = replies.job(200, queued, reading, T0.plusMillis(2500));
        assertThat(waiting.body().path("queue").path("tier").asText()).isEqualTo(queued.tier().wireName());
        assertThat(waiting.body().path("queue").path("depth").asLong()).isEqualTo(42);
        assertThat(waiting.body().path("queue").path("waited_ms").asLong()).isEqualTo(2500);

        Reply running = replies.job(200, queued.beginAttempt("sdxl", "sdxl", T0.plusSeconds(3)), reading,
                T0.plusSeconds(4));
        assertThat(running.body().has("queue")).as("a job that left its queue: " + running.body()).isFalse();
    }
}
