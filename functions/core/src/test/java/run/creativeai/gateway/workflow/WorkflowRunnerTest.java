package run.creativeai.gateway.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.admission.AdmissionPolicy;
import run.creativeai.gateway.admission.AdmissionService;
import run.creativeai.gateway.admission.QueueBackpressure;
import run.creativeai.gateway.concurrency.TenantConcurrency;
import run.creativeai.gateway.dispatch.JobCancellation;
import run.creativeai.gateway.dispatch.PollSchedule;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobError;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.JobStatus;
import run.creativeai.gateway.job.StoredOutput;
import run.creativeai.gateway.job.WebhookEventKind;
import run.creativeai.gateway.job.WorkflowId;
import run.creativeai.gateway.media.MediaSource;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.model.Operation;
import run.creativeai.gateway.plan.PlanCatalog;
import run.creativeai.gateway.pricing.PriceList;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantStanding;
import run.creativeai.gateway.testing.InMemoryJobStore;
import run.creativeai.gateway.testing.InMemorySlotPool;
import run.creativeai.gateway.testing.MutableClock;
import run.creativeai.gateway.testing.ReferenceLimiter;
import run.creativeai.gateway.testing.TierCapsOfTheSeeds;

/** How a workflow moves on: each step admitted as a job once what it takes from has succeeded, and never twice. */
class WorkflowRunnerTest {
    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:10Z");
    private final ReferenceLimiter limiter = new ReferenceLimiter();
    private final InMemoryJobStore jobs = new InMemoryJobStore();
    private final InMemoryWorkflows workflows = new InMemoryWorkflows();
    private final List<Job> queued = new ArrayList<>();
    private final List<Duration> advances = new ArrayList<>();
    private final List<Workflow> announced = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final AdmissionService admissions = new AdmissionService(new AdmissionPolicy(), limiter, jobs,
            (job, delay) -> queued.add(job), ModelCatalog.defaults(), PriceList.defaults(ModelCatalog.defaults()),
            job -> { }, new QueueBackpressure(tier -> 0, 10_000, clock),
            () -> String.format("%026d", ids.incrementAndGet()), clock, (job, delay) -> { });
    private final TenantConcurrency concurrency = TenantConcurrency.standard(new InMemorySlotPool(), PlanCatalog.defaults(),
            ModelCatalog.defaults(), PollSchedule.standard(), TierCapsOfTheSeeds.CAPS, TierCapsOfTheSeeds.SHARDS);
    private final WorkflowRunner runner = new WorkflowRunner(workflows, jobs, admissions, PlanCatalog.defaults(),
            new JobCancellation(jobs, concurrency, job -> { }, job -> { }, job -> { }, clock), WorkflowSlots.unlimited(),
            (id, delay) -> advances.add(delay), announced::add, clock);
    private final Principal pro = new Principal(new TenantId("acme"), new KeyId("key_abcd1"),
            PlanCatalog.defaults().find("pro").orElseThrow(), TenantStanding.ACTIVE);

    {
        limiter.fund("acme", 100_000);
    }

    private static final class InMemoryWorkflows implements WorkflowStore {
        private final Map<WorkflowId, Workflow> stored = new ConcurrentHashMap<>();

        @Override
        public boolean create(Workflow workflow) {
            return stored.putIfAbsent(workflow.id(), workflow) == null;
        }

        @Override
        public Optional<Workflow> find(WorkflowId id) {
            return Optional.ofNullable(stored.get(id));
        }

        @Override
        public synchronized boolean update(Workflow next) {
            Workflow now = stored.get(next.id());
            if (now == null || now.version() != next.version() - 1) {
                return false;
            }
            stored.put(next.id(), next);
            return true;
        }

        @Override
        public List<WorkflowId> resting(Instant before, int limit) {
            return List.of();
        }

        @Override
        public void lookedAt(WorkflowId id, Instant at) {
        }
    }

    private static GenerationRequest still() {
        return new GenerationRequest(JobKind.IMAGE, "seedream", "a lighthouse", 1, Optional.of("1024x1024"),
                Optional.empty(), Operation.TEXT_TO_IMAGE, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    private static GenerationRequest clip() {
        return new GenerationRequest(JobKind.VIDEO, "kling", "waves", 1, Optional.empty(), Optional.of(5),
                Operation.IMAGE_TO_VIDEO, Optional.of(new MediaSource.StepOutput("still", 0)), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    private Workflow stillThenClip(String... extraImages) {
        return stillThenClip(Optional.empty(), extraImages);
    }

    /** As a create with {@code Cancel-After} gives it: every step's request carries the deadline. */
    private Workflow stillThenClip(Optional<Duration> cancelAfter, String... extraImages) {
        List<WorkflowStep> steps = new ArrayList<>(List.of(
                new WorkflowStep("still", still().withCancelAfter(cancelAfter), new JobId("gen_" + "1".repeat(26))),
                new WorkflowStep("clip", clip().withCancelAfter(cancelAfter), new JobId("gen_" + "2".repeat(26)))));
        for (int i = 0; i < extraImages.length; i++) {
            steps.add(new WorkflowStep(extraImages[i], still().withCancelAfter(cancelAfter),
                    new JobId("gen_" + Integer.toString(3 + i).repeat(26))));
        }
        Workflow workflow = Workflow.created(new WorkflowId("wf_" + "0".repeat(26)), pro, steps,
                Optional.of(java.net.URI.create("https://hooks.example.com/wf")), WebhookEventKind.DEFAULT,
                Optional.empty(), clock.instant());
        workflows.create(workflow);
        return workflow;
    }

    private Job job(Workflow workflow, String step) {
        return jobs.find(workflow.step(step).orElseThrow().jobId()).orElseThrow();
    }

    private void succeed(Job job) {
        Job running = job.beginAttempt(job.model(), "p", clock.instant());
        jobs.update(running);
        String key = StoredOutput.key(job.id(), 1, 0, "image/png");
        jobs.update(running.succeed(List.of(new StoredOutput(key, "image/png", 10, "ab", clock.instant(),
                Optional.of(1024), Optional.of(1024))), clock.instant()));
    }

    @Test
    void theFirstStepIsAdmittedAtOnceAndItsDependentOnlyOnceItSucceededGivenItsStoredOutput() {
        Workflow workflow = stillThenClip();
        runner.advance(workflow.id());
        assertThat(workflows.find(workflow.id()).orElseThrow().status()).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(queued).extracting(Job::id).containsExactly(workflow.steps().get(0).jobId());
        assertThat(queued.get(0).step()).hasValueSatisfying(s -> assertThat(s.step()).isEqualTo("still"));

        runner.advance(workflow.id());
        assertThat(queued).as("a repeated message admits nothing twice").hasSize(1);

        succeed(job(workflow, "still"));
        runner.advance(workflow.id());
        assertThat(queued).hasSize(2);
        assertThat(queued.get(1).request().image())
                .contains(new MediaSource.Output("outputs/" + workflow.steps().get(0).jobId() + "/1/0.png"));

        succeed(job(workflow, "clip"));
        runner.advance(workflow.id());
        Workflow done = workflows.find(workflow.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(WorkflowStatus.SUCCEEDED);
        assertThat(announced).extracting(Workflow::status).containsExactly(WorkflowStatus.SUCCEEDED);
    }

    @Test
    void aStepRefusedByARateLimitWaitsForTheWindowWithoutFailingTheWorkflow() {
        // The pro plan's requests a minute, used up by other requests of the key.
        for (int i = 0; i < 100; i++) {
            admissions.admit(pro, still());
        }
        queued.clear();
        Workflow workflow = stillThenClip();
        runner.advance(workflow.id());
        Workflow waiting = workflows.find(workflow.id()).orElseThrow();
        assertThat(waiting.status()).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(waiting.claims()).as("the claim is given back for the next try").isEmpty();
        assertThat(queued).isEmpty();
        assertThat(advances).last().satisfies(d -> assertThat(d).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(60)));

        clock.advance(Duration.ofSeconds(61));
        runner.advance(workflow.id());
        assertThat(queued).extracting(Job::id).containsExactly(workflow.steps().get(0).jobId());
    }

    @Test
    void aFailedStepFailsTheWorkflowCancelsItsRunningSiblingAndNeverStartsItsDependent() {
        Workflow workflow = stillThenClip("sibling");
        runner.advance(workflow.id());
        Job still = job(workflow, "still");
        jobs.update(still.fail(new JobError("provider_error", "every provider failed"), clock.instant()));
        runner.advance(workflow.id());

        Workflow failed = workflows.find(workflow.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(failed.error()).hasValueSatisfying(e -> assertThat(e.message()).contains("'still'"));
        assertThat(job(workflow, "sibling").status()).isEqualTo(JobStatus.CANCELED);
        assertThat(jobs.find(workflow.step("clip").orElseThrow().jobId())).isEmpty();
        assertThat(announced).extracting(Workflow::status).containsExactly(WorkflowStatus.FAILED);
    }

    @Test
    void aCancelStopsTheRunningStepsAndALaterLookStartsNothing() {
        Workflow workflow = stillThenClip();
        runner.advance(workflow.id());
        WorkflowRunner.Cancel cancel = runner.cancel(workflows.find(workflow.id()).orElseThrow());
        assertThat(cancel.canceled()).isTrue();
        assertThat(job(workflow, "still").status()).isEqualTo(JobStatus.CANCELED);
        runner.advance(workflow.id());
        assertThat(jobs.find(workflow.step("clip").orElseThrow().jobId())).isEmpty();
        assertThat(runner.cancel(workflows.find(workflow.id()).orElseThrow()).canceled()).isFalse();
        assertThat(announced).extracting(Workflow::status).containsExactly(WorkflowStatus.CANCELED);
    }

    @Test
    void aClaimWhoseAdmissionDiedIsTakenAgainOnceItsLeaseHasRunOut() {
        Workflow workflow = stillThenClip();
        // As if a function claimed the first step, then died before admitting it.
        Workflow started = workflow.started(clock.instant());
        workflows.update(started);
        workflows.update(started.claimed(List.of("still"), clock.instant()));
        runner.advance(workflow.id());
        assertThat(queued).as("a live claim is left to its function").isEmpty();
        clock.advance(WorkflowRunner.CLAIM_LEASE.plusSeconds(1));
        runner.advance(workflow.id());
        assertThat(queued).extracting(Job::id).containsExactly(workflow.steps().get(0).jobId());
    }

    @Test
    void aStepAdmittedLateCarriesTheWorkflowsDeadlineNotOneFromItsOwnAdmission() {
        Workflow workflow = stillThenClip(Optional.of(Duration.ofSeconds(60)));
        Instant deadline = workflow.createdAt().plusSeconds(60);
        assertThat(workflow.deadline()).contains(deadline);
        runner.advance(workflow.id());
        assertThat(job(workflow, "still").deadline()).contains(deadline);

        clock.advance(Duration.ofSeconds(20));
        succeed(job(workflow, "still"));
        runner.advance(workflow.id());
        Job clip = job(workflow, "clip");
        assertThat(clip.timings().createdAt()).isEqualTo(workflow.createdAt().plusSeconds(20));
        assertThat(clip.deadline()).as("the workflow's, 40 s after the clip's admission").contains(deadline);
        assertThat(clip.request().cancelAfter()).as("the create's Cancel-After, as asked").contains(Duration.ofSeconds(60));
    }

    @Test
    void aLookPastTheDeadlineWithAStepStillToAdmitFailsTheWorkflowAndAdmitsNothingMore() {
        Workflow workflow = stillThenClip(Optional.of(Duration.ofSeconds(60)));
        runner.advance(workflow.id());
        clock.advance(Duration.ofSeconds(30));
        succeed(job(workflow, "still"));
        // The message the still's end sent is read only after the deadline (a slow queue, a redelivery).
        clock.advance(Duration.ofSeconds(30));
        runner.advance(workflow.id());

        Workflow failed = workflows.find(workflow.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(failed.error()).contains(WorkflowRunner.DEADLINE_EXCEEDED);
        assertThat(jobs.find(workflow.step("clip").orElseThrow().jobId())).as("never admitted, never charged").isEmpty();
        assertThat(queued).hasSize(1);
        assertThat(announced).extracting(Workflow::status).containsExactly(WorkflowStatus.FAILED);
    }

    @Test
    void aStepStillQueuedAtTheDeadlineIsAbortedAtItAndTheWorkflowFails() {
        Workflow workflow = stillThenClip(Optional.of(Duration.ofSeconds(60)));
        runner.advance(workflow.id());
        clock.advance(Duration.ofSeconds(60));
        runner.advance(workflow.id());

        assertThat(workflows.find(workflow.id()).orElseThrow().error()).contains(WorkflowRunner.DEADLINE_EXCEEDED);
        Job still = job(workflow, "still");
        assertThat(still.status()).as("no provider ever had it").isEqualTo(JobStatus.ABORTED);
        assertThat(still.error()).contains(Job.DEADLINE_BEFORE_START);
    }

    @Test
    void aWaitForALimitsWindowEndsAtTheDeadlineWhenThatComesFirst() {
        for (int i = 0; i < 100; i++) {
            admissions.admit(pro, still());
        }
        queued.clear();
        // 10:00:10, the minute's window reopens at 10:01:00; the deadline passes at 10:00:40.
        Workflow workflow = stillThenClip(Optional.of(Duration.ofSeconds(30)));
        runner.advance(workflow.id());
        assertThat(advances).last().isEqualTo(Duration.ofSeconds(30));

        clock.advance(Duration.ofSeconds(30));
        runner.advance(workflow.id());
        assertThat(workflows.find(workflow.id()).orElseThrow().error()).contains(WorkflowRunner.DEADLINE_EXCEEDED);
        assertThat(queued).isEmpty();
    }

    @Test
    void aWorkflowQueuedForASlotPastItsDeadlineFailsWithoutStarting() {
        WorkflowSlots full = new WorkflowSlots() {
            @Override
            public boolean take(Workflow workflow, Instant now) {
                return false;
            }

            @Override
            public void release(Workflow workflow) {
            }

            @Override
            public Duration retryDelay() {
                return Duration.ofSeconds(20);
            }
        };
        WorkflowRunner waiting = new WorkflowRunner(workflows, jobs, admissions, PlanCatalog.defaults(),
                new JobCancellation(jobs, concurrency, job -> { }, job -> { }, job -> { }, clock), full,
                (id, delay) -> advances.add(delay), announced::add, clock);
        Workflow workflow = stillThenClip(Optional.of(Duration.ofSeconds(30)));
        waiting.advance(workflow.id());
        assertThat(advances).last().isEqualTo(Duration.ofSeconds(20));
        clock.advance(Duration.ofSeconds(20));
        waiting.advance(workflow.id());
        assertThat(advances).last().as("the rest of the deadline, not another 20 s").isEqualTo(Duration.ofSeconds(10));

        clock.advance(Duration.ofSeconds(10));
        waiting.advance(workflow.id());
        Workflow failed = workflows.find(workflow.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(failed.startedAt()).isEmpty();
        assertThat(failed.error()).contains(WorkflowRunner.DEADLINE_EXCEEDED);
        assertThat(queued).isEmpty();
    }
}
