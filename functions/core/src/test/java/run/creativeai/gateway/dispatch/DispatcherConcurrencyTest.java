package run.creativeai.gateway.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.concurrency.ProviderCapacity;
import run.creativeai.gateway.concurrency.TenantConcurrency;
import run.creativeai.gateway.concurrency.TierCaps;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobStatus;
import run.creativeai.gateway.job.Output;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.plan.PlanCatalog;
import run.creativeai.gateway.provider.CancelOutcome;
import run.creativeai.gateway.provider.ProgressOutcome;
import run.creativeai.gateway.provider.ProviderClient;
import run.creativeai.gateway.provider.ProviderJobRef;
import run.creativeai.gateway.provider.ProviderRequest;
import run.creativeai.gateway.provider.SubmitOutcome;
import run.creativeai.gateway.testing.InMemoryJobStore;
import run.creativeai.gateway.testing.InMemoryOutputStore;
import run.creativeai.gateway.testing.InMemorySlotPool;
import run.creativeai.gateway.testing.Jobs;
import run.creativeai.gateway.testing.MutableClock;
import run.creativeai.gateway.testing.TierCapsOfTheSeeds;

/**
 * Concurrency limits at dispatch (seed 002: at capacity new tasks are queued, not rejected, and start
 * when a slot frees; seed 000: 3 concurrent video jobs), with each slot given back exactly once.
 */
class DispatcherConcurrencyTest {
    /** The pro plan with two concurrent tasks, of which one may be a video. */
    private static final String PLANS = """
            {"model_limits":{"seedream":20,"flux":10,"sdxl":20,"kling":20,"seedance":20,"vidu":20,"flux-lora-fal":5,"flux-lora-replicate":5},
             "plans":{"pro":{"tier":"pro","requests_per_minute":100,"requests_per_minute_per":"key",
               "create_requests_per_minute":"unlimited","reads_per_minute":120,"concurrent_tasks":2,
               "daily_tasks":"unlimited","video":{"requests_per_minute":5,"concurrent":1,"per_24_hours":100,
               "per_30_minutes":30}}}}""";

    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final InMemoryJobStore jobs = new InMemoryJobStore();
    private final InMemorySlotPool slots = new InMemorySlotPool();
    private final Provider provider = new Provider();
    private final List<ProgressCheck> checks = new ArrayList<>();
    private final List<Job> waiting = new ArrayList<>();
    private final List<Duration> waits = new ArrayList<>();
    private static final java.util.Map<run.creativeai.gateway.model.JobKind, Duration> LEASES =
            TenantConcurrency.leases(ModelCatalog.defaults(), PollSchedule.standard());
    private final Dispatcher dispatcher = new Dispatcher(jobs, ModelCatalog.defaults(), name -> provider, new InMemoryOutputStore(),
            (check, delay) -> checks.add(check), job -> { }, job -> { }, PollSchedule.standard(),
            new CallbackUrls(Optional.empty()),
            // The standard tier's caps in pools of their own, so what is freed here is the tenant's slots alone.
            new TenantConcurrency(slots, PlanCatalog.parse(PLANS, ModelCatalog.defaults()), LEASES,
                    new TierCaps(new InMemorySlotPool(), TierCapsOfTheSeeds.CAPS, TierCapsOfTheSeeds.SHARDS, LEASES)),
            ProviderCapacity.configured(new InMemorySlotPool(), ModelCatalog.defaults(), Optional.empty(), 0.1,
                    PollSchedule.standard()),
            (job, delay) -> {
                waiting.add(job);
                waits.add(delay);
            }, job -> { }, clock, run.creativeai.gateway.dispatch.InputUrls.uploadsOnly(
                    (upload, valid) -> java.net.URI.create("https://uploads.example.com/" + upload.value())),
            (job, delay) -> { });

    private Job image() {
        Job job = Jobs.queuedImage("seedream", clock.instant());
        jobs.create(job);
        return job;
    }

    private Job video() {
        Job job = Jobs.queued(new GenerationRequest(JobKind.VIDEO, "kling", "waves", 1, Optional.empty(),
                Optional.of(5), Optional.empty(), Optional.empty(), Optional.empty()), "kling", clock.instant());
        jobs.create(job);
        return job;
    }

    private JobStatus status(Job job) {
        return jobs.find(job.id()).orElseThrow().status();
    }

    private ProgressCheck checkOf(Job job) {
        return checks.stream().filter(c -> c.jobId().equals(job.id())).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void aJobBeyondTheConcurrentLimitWaitsInItsQueueAndStartsWhenASlotFrees() {
        Job first = image();
        Job second = image();
        Job third = image();
        dispatcher.start(first.id());
        dispatcher.start(second.id());
        dispatcher.start(third.id());

        assertThat(status(third)).as("the third job is still queued, not refused").isEqualTo(JobStatus.QUEUED);
        assertThat(waiting).extracting(Job::id).containsExactly(third.id());
        assertThat(waits).containsExactly(Duration.ofSeconds(2));
        assertThat(provider.submissions).hasSize(2);

        provider.progress.add(new ProgressOutcome.Completed(List.of(Output.of("https://cdn/1.png", "image/png"))));
        dispatcher.checkProgress(checkOf(first));
        assertThat(status(first)).isEqualTo(JobStatus.SUCCEEDED);

        dispatcher.start(third.id());
        assertThat(status(third)).as("the delayed start finds the freed slot").isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void onlyOneVideoRunsAtOnceWhileImagesUseTheOtherSlot() {
        Job film = video();
        Job secondFilm = video();
        Job picture = image();
        dispatcher.start(film.id());
        dispatcher.start(secondFilm.id());
        dispatcher.start(picture.id());
        assertThat(status(film)).isEqualTo(JobStatus.RUNNING);
        assertThat(status(secondFilm)).isEqualTo(JobStatus.QUEUED);
        assertThat(status(picture)).isEqualTo(JobStatus.RUNNING);
        assertThat(waits).containsExactly(Duration.ofSeconds(5));
    }

    @Test
    void aSucceededJobGivesItsSlotBackOnceEvenWhenItsLastMessageIsDeliveredAgain() {
        Job job = image();
        dispatcher.start(job.id());
        provider.progress.add(new ProgressOutcome.Completed(List.of(Output.of("https://cdn/1.png", "image/png"))));
        ProgressCheck check = checkOf(job);
        dispatcher.checkProgress(check);
        dispatcher.checkProgress(check);
        dispatcher.start(job.id());
        assertThat(slots.freed()).containsExactly(job.id().value());
    }

    @Test
    void aJobThatFailsGivesItsSlotBack() {
        Job job = image();
        provider.submit.add(new SubmitOutcome.InputRejected("prompt: violates the content policy"));
        dispatcher.start(job.id());
        assertThat(status(job)).isEqualTo(JobStatus.FAILED);
        assertThat(slots.freed()).containsExactly(job.id().value());
    }

    @Test
    void aJobWhoseChainTimesOutGivesItsSlotBackOnce() {
        Job job = Jobs.queuedImage("sdxl", clock.instant());
        jobs.create(job);
        dispatcher.start(job.id());
        clock.advance(Duration.ofMinutes(3));
        dispatcher.checkProgress(checkOf(job));
        assertThat(status(job)).as("the chain is walked once more after timing out").isEqualTo(JobStatus.RUNNING);
        assertThat(slots.freed()).isEmpty();
        clock.advance(Duration.ofMinutes(3));
        dispatcher.checkProgress(checkOf(job));
        assertThat(status(job)).isEqualTo(JobStatus.FAILED);
        assertThat(slots.freed()).containsExactly(job.id().value());
    }

    @Test
    void aJobCancelledWhileRunningGivesItsSlotBackAtItsNextProgressCheck() {
        Job job = image();
        dispatcher.start(job.id());
        Job running = jobs.find(job.id()).orElseThrow();
        jobs.update(running.cancel(clock.instant()));
        dispatcher.checkProgress(checkOf(job));
        dispatcher.checkProgress(checkOf(job));
        assertThat(slots.freed()).containsExactly(job.id().value());
        assertThat(provider.progressChecks).as("a cancelled job is not checked at its provider").isZero();
    }

    @Test
    void theSlotOfAJobWhoseWorkerDiedReturnsWhenItsLeaseEnds() {
        Job first = image();
        Job second = image();
        dispatcher.start(first.id());
        dispatcher.start(second.id());
        // Both workers die: no progress message ever comes back for these jobs.
        Job third = image();
        dispatcher.start(third.id());
        assertThat(status(third)).isEqualTo(JobStatus.QUEUED);

        // The lease covers every link of the longest image chain timing out, twice, and a margin.
        clock.advance(PollSchedule.standard().attemptTimeout(JobKind.IMAGE).multipliedBy(6).plusMinutes(5));
        dispatcher.start(third.id());
        assertThat(status(third)).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void aRepeatedStartOfAWaitingJobNeverTakesTwoSlots() {
        Job job = image();
        dispatcher.start(job.id());
        dispatcher.start(job.id());
        Job other = image();
        dispatcher.start(other.id());
        assertThat(status(other)).as("one slot is still free").isEqualTo(JobStatus.RUNNING);
    }

    /** A provider that accepts everything and answers progress from a script. */
    private static final class Provider implements ProviderClient {
        final Deque<SubmitOutcome> submit = new ArrayDeque<>();
        final Deque<ProgressOutcome> progress = new ArrayDeque<>();
        final List<ProviderRequest> submissions = new ArrayList<>();
        int progressChecks;

        @Override
        public SubmitOutcome submit(ProviderRequest request) {
            if (!submit.isEmpty()) {
                return submit.poll();
            }
            submissions.add(request);
            return new SubmitOutcome.Submitted("p-" + submissions.size());
        }

        @Override
        public ProgressOutcome progress(ProviderJobRef ref) {
            progressChecks++;
            return progress.isEmpty() ? new ProgressOutcome.InProgress() : progress.poll();
        }

        @Override
        public CancelOutcome cancel(ProviderJobRef ref) {
            return new CancelOutcome.Canceled();
        }
    }

}
