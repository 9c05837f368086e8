package run.creativeai.gateway.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.concurrency.SlotGrant;
import run.creativeai.gateway.concurrency.TenantConcurrency;
import run.creativeai.gateway.job.AttemptOutcome;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.JobStatus;
import run.creativeai.gateway.job.Output;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.plan.PlanCatalog;
import run.creativeai.gateway.testing.InMemoryJobStore;
import run.creativeai.gateway.testing.InMemorySlotPool;
import run.creativeai.gateway.testing.Jobs;
import run.creativeai.gateway.testing.MutableClock;
import run.creativeai.gateway.testing.TierCapsOfTheSeeds;

class JobCancellationTest {
    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final InMemoryJobStore jobs = new InMemoryJobStore();
    private final InMemorySlotPool slots = new InMemorySlotPool();
    private final TenantConcurrency concurrency = TenantConcurrency.standard(slots, PlanCatalog.defaults(),
            ModelCatalog.defaults(), PollSchedule.standard(), TierCapsOfTheSeeds.CAPS, TierCapsOfTheSeeds.SHARDS);
    private final List<Job> ended = new ArrayList<>();
    private final List<JobId> toDispatcher = new ArrayList<>();
    private final List<Job> settled = new ArrayList<>();
    private final JobCancellation cancellation = new JobCancellation(jobs, concurrency, ended::add,
            toDispatcher::add, settled::add, clock);

    private Job stored(Job job) {
        jobs.create(job);
        return job;
    }

    /** Writes each step, as the dispatcher does. */
    @SafeVarargs
    private Job moved(Job job, java.util.function.UnaryOperator<Job>... steps) {
        Job current = job;
        for (var step : steps) {
            current = step.apply(current);
            assertThat(jobs.update(current)).isTrue();
        }
        return current;
    }

    @Test
    void aDeadlineThatMeetsAJobEndingOnItsOwnLeavesItAsItEnded() {
        Job queued = stored(Jobs.withCancelAfter(Jobs.queuedImage("sdxl", clock.instant()), java.time.Duration.ofSeconds(5)));
        Job running = moved(queued, j -> j.beginAttempt("sdxl", "sdxl", clock.instant()), j -> j.attemptSubmitted("req-1"));
        clock.advance(java.time.Duration.ofSeconds(5));
        // The dispatcher stores the success between the deadline's read and its write.
        moved(running, j -> j.succeed(java.util.List.of(Output.of("https://cdn/1.png", "image/png")), clock.instant()));

        JobCancellation.Result result = cancellation.expire(running);
        assertThat(result).isInstanceOf(JobCancellation.AlreadyEnded.class);
        assertThat(jobs.find(queued.id()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(ended).as("the dispatcher announces its own end").isEmpty();
        assertThat(settled).isEmpty();
    }

    @Test
    void aJobStillQueuedAtItsDeadlineIsAbortedAndOneRunningIsCancelledThroughTheDispatcher() {
        Job queued = stored(Jobs.withCancelAfter(Jobs.queuedImage("sdxl", clock.instant()), java.time.Duration.ofSeconds(5)));
        Job running = stored(Jobs.withCancelAfter(Jobs.queuedImage("sdxl", clock.instant()), java.time.Duration.ofSeconds(5)));
        running = moved(running, j -> j.beginAttempt("sdxl", "sdxl", clock.instant()), j -> j.attemptSubmitted("req-1"));
        clock.advance(java.time.Duration.ofSeconds(5));

        assertThat(cancellation.expire(queued).job().status()).isEqualTo(JobStatus.ABORTED);
        assertThat(cancellation.expire(running).job().status()).isEqualTo(JobStatus.CANCELED);
        assertThat(toDispatcher).as("only the running job has a provider to tell").containsExactly(running.id());
        assertThat(settled).extracting(Job::status).containsExactly(JobStatus.ABORTED, JobStatus.CANCELED);
    }

    @Test
    void aQueuedJobIsCancelledAndAnnouncedWithoutBotheringTheDispatcher() {
        Job job = stored(Jobs.queuedImage("sdxl", clock.instant()));
        JobCancellation.Result result = cancellation.cancel(job);
        assertThat(result).isInstanceOf(JobCancellation.Canceled.class);
        assertThat(jobs.find(job.id()).orElseThrow().status()).isEqualTo(JobStatus.CANCELED);
        assertThat(ended).extracting(Job::status).containsExactly(JobStatus.CANCELED);
        assertThat(toDispatcher).as("its start message finds it ended and never calls a provider").isEmpty();
    }

    @Test
    void aRunningJobIsHandedToTheDispatcherAndItsTenantSlotFreedAtOnce() {
        Job queued = stored(Jobs.queuedImage("sdxl", clock.instant()));
        assertThat(concurrency.tryStart(queued, clock.instant())).isInstanceOf(SlotGrant.Granted.class);
        Job running = moved(queued, j -> j.beginAttempt("sdxl", "sdxl", clock.instant()), j -> j.attemptSubmitted("req-1"));
        JobCancellation.Result result = cancellation.cancel(running);
        assertThat(result.job().attempts().get(0).outcome()).isEqualTo(AttemptOutcome.CANCELED);
        assertThat(toDispatcher).containsExactly(running.id());
        assertThat(concurrency.usage(running.tenantId(), clock.instant()).active()).isZero();
    }

    @Test
    void aJobThatMovedOnMeanwhileIsCancelledInItsNewStateAndAnEndedOneIsLeftAlone() {
        Job queued = stored(Jobs.queuedImage("sdxl", clock.instant()));
        moved(queued, j -> j.beginAttempt("sdxl", "sdxl", clock.instant()));
        JobCancellation.Result result = cancellation.cancel(queued);
        assertThat(result).isInstanceOf(JobCancellation.Canceled.class);
        assertThat(toDispatcher).as("it was running by the time the cancel was written").hasSize(1);

        Job other = stored(Jobs.queuedImage("sdxl", clock.instant()));
        Job done = moved(other, j -> j.beginAttempt("sdxl", "sdxl", clock.instant()), j -> j.attemptSubmitted("r"),
                j -> j.succeed(List.of(Output.of("https://cdn/x.png", "image/png")), clock.instant()));
        JobCancellation.Result refused = cancellation.cancel(other);
        assertThat(refused).isInstanceOf(JobCancellation.AlreadyEnded.class);
        assertThat(jobs.find(other.id()).orElseThrow()).isEqualTo(done);
        assertThat(ended).hasSize(1);
    }

    @Test
    void aCancelWhoseDispatcherMessageCannotBeSentStillCancels() {
        JobCancellation failing = new JobCancellation(jobs, concurrency, ended::add, id -> {
            throw new IllegalStateException("queue down");
        }, settled::add, clock);
        Job queued = stored(Jobs.queuedImage("sdxl", clock.instant()));
        Job running = moved(queued, j -> j.beginAttempt("sdxl", "sdxl", clock.instant()), j -> j.attemptSubmitted("req-1"));
        assertThat(failing.cancel(running)).isInstanceOf(JobCancellation.Canceled.class);
        assertThat(jobs.find(running.id()).map(Job::status)).isEqualTo(Optional.of(JobStatus.CANCELED));
    }

    @Test
    void aCancelledJobIsSettledAtOnceAndAQueuedOneCostsNothing() {
        Job queued = stored(Jobs.queuedPricedImage("seedream", clock.instant(), "seedream", 30));
        cancellation.cancel(queued);
        assertThat(settled).singleElement().satisfies(job -> {
            assertThat(job.status()).isEqualTo(JobStatus.CANCELED);
            assertThat(job.charge()).contains(new run.creativeai.gateway.job.Charge(30, 0));
        });
    }
}
