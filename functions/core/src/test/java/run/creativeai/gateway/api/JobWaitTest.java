package run.creativeai.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobStatus;
import run.creativeai.gateway.job.Output;
import run.creativeai.gateway.testing.InMemoryJobStore;
import run.creativeai.gateway.testing.Jobs;
import run.creativeai.gateway.testing.MutableClock;

class JobWaitTest {
    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final InMemoryJobStore jobs = new InMemoryJobStore();
    private final List<Duration> pauses = new ArrayList<>();

    @Test
    void returnsTheJobAsItEndedAtTheFirstLookAfterItsEnd() {
        Job job = Jobs.queuedImage("sdxl", clock.instant());
        jobs.create(job);
        Instant endsAt = clock.instant().plusMillis(1_600);
        JobWait wait = new JobWait(jobs, clock, d -> {
            pauses.add(d);
            clock.advance(d);
            if (!clock.instant().isBefore(endsAt) && jobs.find(job.id()).orElseThrow().status() == JobStatus.QUEUED) {
                Job running = job.beginAttempt("sdxl", "sdxl", clock.instant());
                jobs.update(running);
                Job submitted = running.attemptSubmitted("r");
                jobs.update(submitted);
                jobs.update(submitted.succeed(List.of(Output.of("https://cdn/x.png", "image/png")), clock.instant()));
            }
        });
        Job seen = wait.until(job, clock.instant().plusSeconds(25));
        assertThat(seen.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(pauses).as("a quarter second, half a second, then every second")
                .containsExactly(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    @Test
    void givesUpAtTheDeadlineWithTheJobAsItLastWasAndReadsAtMostOnceASecond() {
        Job job = Jobs.queuedImage("sdxl", clock.instant());
        jobs.create(job);
        Instant deadline = clock.instant().plusSeconds(25);
        JobWait wait = new JobWait(jobs, clock, d -> {
            pauses.add(d);
            clock.advance(d);
        });
        Job seen = wait.until(job, deadline);
        assertThat(seen.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(clock.instant()).as("not a moment past the wait the customer asked for").isEqualTo(deadline);
        assertThat(pauses).hasSizeLessThanOrEqualTo(27);
    }
}
