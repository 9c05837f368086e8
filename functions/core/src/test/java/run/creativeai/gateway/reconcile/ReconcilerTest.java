package run.creativeai.gateway.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.dispatch.PollSchedule;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.Output;
import run.creativeai.gateway.job.WebhookAttempt;
import run.creativeai.gateway.testing.InMemoryJobStore;
import run.creativeai.gateway.testing.Jobs;
import run.creativeai.gateway.testing.MutableClock;

/** Which jobs the reconciler takes for stuck, what it sends for each, and how it backs off. */
class ReconcilerTest {
    private static final Duration STUCK_AFTER = Duration.ofMinutes(5);
    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final InMemoryJobStore jobs = new InMemoryJobStore();
    private final IndexedJobs index = new IndexedJobs();
    private final List<JobId> requeued = new ArrayList<>();
    private final List<JobId> resumed = new ArrayList<>();
    private final List<JobId> announced = new ArrayList<>();
    private final List<JobId> resumedForSlots = resumed;
    private final Reconciler reconciler = new Reconciler(index, jobs, (job, delay) -> requeued.add(job.id()),
            resumed::add, job -> announced.add(job.id()), PollSchedule.standard(), STUCK_AFTER, clock);

    /** The unsettled index over the in-memory store, with recoveries recorded as the DynamoDB one does. */
    private final class IndexedJobs implements UnsettledJobs {
        final Map<JobId, Candidate> marks = new HashMap<>();
        final Map<JobId, Long> settledAt = new HashMap<>();

        @Override
        public List<Candidate> due(Instant before, int limit) {
            List<Candidate> due = new ArrayList<>();
            for (Job job : stored) {
                Job current = jobs.find(job.id()).orElseThrow();
                Candidate mark = marks.get(job.id());
                Candidate candidate = mark != null && mark.attentionAt().isAfter(Unsettled.lastMoved(current))
                        ? mark : new Candidate(job.id(), Unsettled.lastMoved(current), 0);
                boolean indexed = !settledAt.containsKey(job.id()) || current.version() > settledAt.get(job.id());
                if (indexed && !candidate.attentionAt().isAfter(before)) {
                    due.add(candidate);
                }
            }
            return due;
        }

        @Override
        public boolean settled(JobId job, long version) {
            if (jobs.find(job).orElseThrow().version() != version) {
                return false;
            }
            settledAt.put(job, version);
            return true;
        }

        @Override
        public boolean recovered(JobId job, long version, int recoveries, Instant lookAgainFrom) {
            marks.put(job, new Candidate(job, lookAgainFrom, recoveries));
            return true;
        }
    }

    private final List<Job> stored = new ArrayList<>();

    private Job store(Job admitted) {
        jobs.create(admitted);
        stored.add(admitted);
        return admitted;
    }

    @Test
    void aQueuedJobUntouchedPastTheLimitIsQueuedAgainAndAYoungerOneIsLeftAlone() {
        Job old = store(Jobs.queuedImage("seedream", clock.instant()));
        clock.advance(Duration.ofMinutes(2));
        Job young = store(Jobs.queuedImage("seedream", clock.instant()));
        clock.advance(Duration.ofMinutes(3));

        Reconciler.Report report = reconciler.run();
        assertThat(requeued).containsExactly(old.id());
        assertThat(report.requeued()).isEqualTo(1);
        assertThat(young.id()).isNotIn(requeued);
    }

    @Test
    void aJobThatStaysStuckIsRecoveredWithDoublingPausesThenLeftToAnOperator() {
        Job job = store(Jobs.queuedImage("seedream", clock.instant()));
        List<Integer> recoveredAtMinute = new ArrayList<>();
        int givenUpAtMinute = -1;
        for (int minute = 0; minute <= 6000 && givenUpAtMinute < 0; minute++) {
            int before = requeued.size();
            if (reconciler.run().givenUp() > 0) {
                givenUpAtMinute = minute;
            }
            if (requeued.size() > before) {
                recoveredAtMinute.add(minute);
            }
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(recoveredAtMinute).containsExactly(5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560);
        assertThat(givenUpAtMinute).isEqualTo(5120);
        assertThat(requeued).allMatch(job.id()::equals);
    }

    @Test
    void aRunningAttemptIsGivenItsTimeoutBeforeItCountsAsStuck() {
        Job admitted = store(Jobs.queuedImage("seedream", clock.instant()));
        Job running = admitted.beginAttempt("seedream", "seedream", clock.instant());
        jobs.update(running);
        Job submitted = running.attemptSubmitted("seedream-1");
        jobs.update(submitted);

        clock.advance(STUCK_AFTER.plus(Duration.ofMinutes(1)));
        reconciler.run();
        assertThat(resumed).as("an image attempt may run 2 minutes and is checked without writes").isEmpty();
        clock.advance(PollSchedule.standard().attemptTimeout(admitted.request().kind()));
        reconciler.run();
        assertThat(resumed).containsExactly(admitted.id());
    }

    @Test
    void aRunningJobWithNoProviderIdIsResumedAfterTheLimit() {
        Job admitted = store(Jobs.queuedImage("seedream", clock.instant()));
        jobs.update(admitted.beginAttempt("seedream", "seedream", clock.instant()));
        clock.advance(STUCK_AFTER);
        reconciler.run();
        assertThat(resumed).containsExactly(admitted.id());
    }

    @Test
    void anEndedJobWhoseWebhookWasNeverAttemptedIsAnnouncedAndEveryEndedJobIsSettledOnce() {
        URI hook = URI.create("https://example.com/hook");
        Job unannounced = ended(Jobs.queued(Jobs.image("seedream", Optional.of(hook)), "seedream", clock.instant()));
        Job attempted = ended(Jobs.queued(Jobs.image("seedream", Optional.of(hook)), "seedream", clock.instant()));
        Job current = jobs.find(attempted.id()).orElseThrow();
        jobs.update(current.webhookAttempted(new WebhookAttempt(1, "evt_1", clock.instant(), Optional.of(500),
                Optional.of("HTTP 500"), 12)));
        Job noHook = ended(Jobs.queuedImage("seedream", clock.instant()));
        clock.advance(STUCK_AFTER);

        Reconciler.Report report = reconciler.run();
        assertThat(announced).containsExactly(unannounced.id());
        assertThat(report.settled()).as("the two with nothing left but their slots").isEqualTo(2);
        assertThat(resumedForSlots).as("the dispatcher gives back the slot a dead worker may still hold")
                .containsExactlyInAnyOrder(unannounced.id(), attempted.id(), noHook.id());

        resumed.clear();
        clock.advance(STUCK_AFTER.multipliedBy(10));
        reconciler.run();
        assertThat(resumed).as("settled jobs left the index; the announced one waits for its attempt")
                .containsExactly(unannounced.id());
    }

    @Test
    void aSettledJobThatIsWrittenAgainIsLookedAtAgain() {
        URI hook = URI.create("https://example.com/hook");
        Job job = ended(Jobs.queued(Jobs.image("seedream", Optional.of(hook)), "seedream", clock.instant()));
        Job current = jobs.find(job.id()).orElseThrow();
        jobs.update(current.webhookAttempted(new WebhookAttempt(1, "evt_1", clock.instant(), Optional.of(200),
                Optional.empty(), 12)));
        clock.advance(STUCK_AFTER);
        assertThat(reconciler.run().settled()).isEqualTo(1);
        Job settled = jobs.find(job.id()).orElseThrow();
        jobs.update(settled.webhookAttempted(new WebhookAttempt(4, "evt_1", clock.instant(), Optional.of(200),
                Optional.empty(), 9)));
        clock.advance(STUCK_AFTER);
        assertThat(reconciler.run().settled()).as("a requested redelivery wrote it again").isEqualTo(1);
    }

    @Test
    void afterARestartEveryJobThatLastMovedBeforeItIsRecoveredAtOnceWhateverItsStepAllows() {
        URI hook = URI.create("https://example.com/hook");
        Job queued = store(Jobs.queuedImage("seedream", clock.instant()));
        Job admitted = store(Jobs.queuedImage("seedream", clock.instant()));
        Job attempting = admitted.beginAttempt("seedream", "seedream", clock.instant());
        jobs.update(attempting);
        jobs.update(attempting.attemptSubmitted("seedream-1"));
        Job unannounced = ended(Jobs.queued(Jobs.image("seedream", Optional.of(hook)), "seedream", clock.instant()));
        clock.advance(Duration.ofSeconds(20));
        Instant restartedAt = clock.instant();
        clock.advance(Duration.ofSeconds(1));
        Job sinceTheRestart = store(Jobs.queuedImage("seedream", clock.instant()));

        assertThat(reconciler.run().looked()).as("a scheduled run waits out each step's allowance").isZero();
        Reconciler.Report report = reconciler.runAfterRestart(clock.instant(), restartedAt);
        assertThat(requeued).containsExactly(queued.id());
        assertThat(resumed).as("the running attempt at once, not after its 7 minutes; the ended job for its slots")
                .containsExactlyInAnyOrder(admitted.id(), unannounced.id());
        assertThat(announced).containsExactly(unannounced.id());
        assertThat(report.looked()).as("not the job that moved after the restart").isEqualTo(3);
        assertThat(sinceTheRestart.id()).isNotIn(requeued);
    }

    @Test
    void aRestartTimeLaterThanTheRunCountsAsTheRunsOwnMomentSoNoRecoveryIsTakenBeforeItsBackOff() {
        Job job = store(Jobs.queuedImage("seedream", clock.instant()));
        clock.advance(STUCK_AFTER);
        reconciler.run();
        clock.advance(STUCK_AFTER);
        reconciler.run();
        assertThat(requeued).as("recovered twice; the next look is 10 minutes away").hasSize(2);

        reconciler.runAfterRestart(clock.instant(), clock.instant().plus(Duration.ofDays(1)));
        assertThat(requeued).as("a restart named in the future does not bring the look forward").hasSize(2)
                .allMatch(job.id()::equals);
    }

    private Job ended(Job admitted) {
        store(admitted);
        Job running = admitted.beginAttempt("seedream", "seedream", clock.instant());
        jobs.update(running);
        Job submitted = running.attemptSubmitted("p-1");
        jobs.update(submitted);
        Job done = submitted.succeed(List.of(Output.of("https://cdn/x.png", "image/png")), clock.instant());
        jobs.update(done);
        return done;
    }
}
