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
import run.creativeai.gateway.job.Settlement;
import run.creativeai.gateway.job.WebhookEventKind;
import run.creativeai.gateway.job.WebhookAttempt;
import run.creativeai.gateway.testing.InMemoryJobStore;
import run.creativeai.gateway.testing.Jobs;
import run.creativeai.gateway.testing.MutableClock;
import run.creativeai.gateway.webhook.EventId;

/** Which jobs the reconciler takes for stuck, what it sends for each, and how it backs off. */
class ReconcilerTest {
    private static final Duration STUCK_AFTER = Duration.ofMinutes(5);
    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final InMemoryJobStore jobs = new InMemoryJobStore();
    private final IndexedJobs index = new IndexedJobs();
    private final List<JobId> requeued = new ArrayList<>();
    private final List<JobId> resumed = new ArrayList<>();
    private final List<JobId> announced = new ArrayList<>();
    /** Jobs whose start was announced. */
    private final List<JobId> startsAnnounced = new ArrayList<>();
    private final List<JobId> settled = new ArrayList<>();
    private final List<JobId> resumedForSlots = resumed;
    /** Resumptions and announcements in the order they were sent. */
    private final List<String> sent = new ArrayList<>();
    private final Reconciler reconciler = new Reconciler(index, jobs, (job, delay) -> requeued.add(job.id()),
            id -> {
                resumed.add(id);
                sent.add("resume " + id.value());
            },
            job -> {
                announced.add(job.id());
                sent.add("announce " + job.id().value());
            },
            job -> {
                startsAnnounced.add(job.id());
                sent.add("start " + job.id().value());
            }, PollSchedule.standard(), job -> settled.add(job.id()), STUCK_AFTER, clock);

    /**
     * The unsettled index over the in-memory store, as the DynamoDB one keeps it: an entry from the
     * job's admission, at its admission time, until the job is settled; what the reconciler records
     * moves it, and the job's next write drops the recoveries.
     */
    private final class IndexedJobs implements UnsettledJobs {
        /** Per job: the attention time, the recoveries, and the version they were recorded at. */
        final Map<JobId, Object[]> marks = new HashMap<>();

        @Override
        public List<Candidate> due(Instant before, int limit) {
            List<Candidate> due = new ArrayList<>();
            for (Job job : stored) {
                Job current = jobs.find(job.id()).orElseThrow();
                if (jobs.isSettled(job.id())) {
                    continue;
                }
                Object[] mark = marks.get(job.id());
                Candidate candidate = mark == null ? new Candidate(job.id(), job.timings().createdAt(), 0)
                        : new Candidate(job.id(), (Instant) mark[0], (long) mark[2] == current.version() ? (int) mark[1] : 0);
                if (!candidate.attentionAt().isAfter(before)) {
                    due.add(candidate);
                }
            }
            return due;
        }

        @Override
        public void lookAgain(JobId job, long version, Instant movedAt) {
            if (jobs.find(job).orElseThrow().version() == version) {
                marks.put(job, new Object[] {movedAt, 0, version});
            }
        }

        @Override
        public boolean recovered(JobId job, long version, int recoveries, Instant lookAgainFrom) {
            if (jobs.find(job).orElseThrow().version() != version) {
                return false;
            }
            marks.put(job, new Object[] {lookAgainFrom, recoveries, version});
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
    void anEndedJobWhoseWebhookWasNeverAttemptedIsAnnouncedAfterItsSlotsAreAskedBackAndOneWithoutAWebhookIsSettledOnce() {
        URI hook = URI.create("https://example.com/hook");
        Job unannounced = ended(Jobs.queued(Jobs.image("seedream", Optional.of(hook)), "seedream", clock.instant()));
        Job attempted = ended(Jobs.queued(Jobs.image("seedream", Optional.of(hook)), "seedream", clock.instant()));
        Job current = jobs.find(attempted.id()).orElseThrow();
        jobs.update(current.webhookAttempted(new WebhookAttempt(1, EventId.of(current.id(), current.status()),
                clock.instant(), Optional.of(500),
                Optional.of("HTTP 500"), 12)));
        Job noHook = ended(Jobs.queuedImage("seedream", clock.instant()));
        clock.advance(STUCK_AFTER);

        Reconciler.Report report = reconciler.run();
        assertThat(announced).containsExactly(unannounced.id());
        assertThat(sent).as("the slots are asked back before the end is announced")
                .containsSubsequence("resume " + unannounced.id().value(), "announce " + unannounced.id().value());
        assertThat(report.settled()).as("the one with nothing left but its slots").isEqualTo(1);
        assertThat(resumedForSlots).as("the dispatcher gives back the slots a dead worker may still hold")
                .containsExactlyInAnyOrder(unannounced.id(), noHook.id());
        assertThat(attempted.id()).as("its recorded webhook attempt settled it").isNotIn(resumed);

        resumed.clear();
        clock.advance(STUCK_AFTER.multipliedBy(10));
        reconciler.run();
        assertThat(resumed).as("the settled job left the index; the announced one waits for its attempt")
                .containsExactly(unannounced.id());
    }

    @Test
    void anEndedJobIsAnnouncedUntilItsEndingIsAttemptedWhateverItsStartEventDidAndOnlyIfItsWebhookHearsEndings() {
        URI hook = URI.create("https://example.com/hook");
        Job startedOnly = ended(Jobs.queued(Jobs.image("seedream", Optional.of(hook)), "seedream", clock.instant()));
        Job current = jobs.find(startedOnly.id()).orElseThrow();
        jobs.update(current.webhookAttempted(new WebhookAttempt(1, EventId.started(current.id()), clock.instant(),
                Optional.of(200), Optional.empty(), 12)));
        var r = Jobs.image("seedream", Optional.of(hook));
        Job deafToEndings = ended(Jobs.queued(new run.creativeai.gateway.job.GenerationRequest(r.kind(), r.model(),
                r.prompt(), r.n(), r.size(), r.durationSeconds(), r.operation(), r.image(), r.mask(), r.webhookUrl(),
                r.metadataJson(), java.util.Set.of(run.creativeai.gateway.job.WebhookEventKind.START)), "seedream",
                clock.instant()));
        clock.advance(STUCK_AFTER);

        reconciler.run();
        assertThat(announced).containsExactly(startedOnly.id());
        assertThat(deafToEndings.id()).isNotIn(announced);
        assertThat(startsAnnounced).as("the start it hears was accepted and never attempted").containsExactly(deafToEndings.id());
    }

    @Test
    void anEndedJobWhoseStartWasNeverAttemptedIsWatchedUntilTheReconcilerAnnouncesItAloneAndItsAttemptSettlesIt() {
        Job unannounced = ended(Jobs.queued(hearing(WebhookEventKind.START, WebhookEventKind.COMPLETED), "seedream",
                clock.instant()));
        attempt(unannounced, EventId.of(unannounced.id(), unannounced.status()));
        assertThat(jobs.isSettled(unannounced.id())).as("its end was attempted, its start never was").isFalse();
        Job told = ended(Jobs.queued(hearing(WebhookEventKind.START, WebhookEventKind.COMPLETED), "seedream",
                clock.instant()));
        attempt(told, EventId.started(told.id()));
        attempt(told, EventId.of(told.id(), told.status()));
        assertThat(jobs.isSettled(told.id())).as("both its events attempted").isTrue();
        clock.advance(STUCK_AFTER);

        Reconciler.Report report = reconciler.run();
        assertThat(report.announced()).isEqualTo(1);
        assertThat(startsAnnounced).containsExactly(unannounced.id());
        assertThat(announced).as("its end, attempted already, is not announced again").isEmpty();

        attempt(unannounced, EventId.started(unannounced.id()));
        assertThat(jobs.isSettled(unannounced.id())).as("the start's attempt was the last it owed").isTrue();
        clock.advance(STUCK_AFTER.multipliedBy(10));
        reconciler.run();
        assertThat(startsAnnounced).as("announced once").containsExactly(unannounced.id());
    }

    @Test
    void aStuckRunningJobWhoseStartWasNeverAttemptedIsResumedAndItsStartAnnouncedButAnAttemptedStartIsNot() {
        Job lost = running(Jobs.queued(hearing(WebhookEventKind.START, WebhookEventKind.COMPLETED), "seedream",
                clock.instant()));
        Job told = running(Jobs.queued(hearing(WebhookEventKind.START, WebhookEventKind.COMPLETED), "seedream",
                clock.instant()));
        attempt(told, EventId.started(told.id()));
        clock.advance(STUCK_AFTER.plus(PollSchedule.standard().attemptTimeout(lost.request().kind())));

        reconciler.run();
        assertThat(resumed).containsExactlyInAnyOrder(lost.id(), told.id());
        assertThat(startsAnnounced).containsExactly(lost.id());
        assertThat(announced).as("neither has ended").isEmpty();
    }

    @Test
    void aJobWhoseWebhookHearsOnlyItsStartAndWhoseStartWasNeverAttemptedByItsEndIsLeftWatched() {
        Job job = ended(Jobs.queued(hearing(WebhookEventKind.START), "seedream", clock.instant()));
        assertThat(Settlement.settledByAnnouncement(jobs.find(job.id()).orElseThrow()))
                .as("announcing its end would leave its lost start for nobody to find").isFalse();
        clock.advance(STUCK_AFTER);
        reconciler.run();
        assertThat(startsAnnounced).containsExactly(job.id());
        attempt(job, EventId.started(job.id()));
        clock.advance(STUCK_AFTER.multipliedBy(10));
        Reconciler.Report report = reconciler.run();
        assertThat(report.settled()).as("nothing left but its slots").isEqualTo(1);
        assertThat(startsAnnounced).containsExactly(job.id());
    }

    /** An image request whose webhook hears {@code events}. */
    private static run.creativeai.gateway.job.GenerationRequest hearing(WebhookEventKind... events) {
        var r = Jobs.image("seedream", Optional.of(URI.create("https://example.com/hook")));
        return new run.creativeai.gateway.job.GenerationRequest(r.kind(), r.model(), r.prompt(), r.n(), r.size(),
                r.durationSeconds(), r.operation(), r.image(), r.mask(), r.webhookUrl(), r.metadataJson(),
                java.util.Set.of(events));
    }

    /** Records an attempt of the job's event {@code eventId} on the stored job, as the webhook function does. */
    private void attempt(Job job, String eventId) {
        Job current = jobs.find(job.id()).orElseThrow();
        assertThat(jobs.update(current.webhookAttempted(new WebhookAttempt(current.webhookAttempts().size() + 1, eventId,
                clock.instant(), Optional.of(200), Optional.empty(), 12)))).isTrue();
    }

    /** The job stored, started and accepted by its provider. */
    private Job running(Job admitted) {
        store(admitted);
        Job attempting = admitted.beginAttempt("seedream", "seedream", clock.instant());
        jobs.update(attempting);
        Job submitted = attempting.attemptSubmitted("p-1");
        jobs.update(submitted);
        return submitted;
    }

    @Test
    void aJobThatMovedSinceItWasRecoveredRestsFromItsLastMoveAndItsRecoveriesStartAgain() {
        Job admitted = store(Jobs.queuedImage("seedream", clock.instant()));
        List<Integer> requeuedAt = new ArrayList<>();
        List<Integer> resumedAt = new ArrayList<>();
        for (int minute = 0; minute <= 30; minute++) {
            if (minute == 7) {
                // Started after its requeue, then its dispatcher died before submitting it.
                jobs.update(admitted.beginAttempt("seedream", "seedream", clock.instant()));
            }
            int queuedBefore = requeued.size();
            int resumedBefore = resumed.size();
            reconciler.run();
            if (requeued.size() > queuedBefore) {
                requeuedAt.add(minute);
            }
            if (resumed.size() > resumedBefore) {
                resumedAt.add(minute);
            }
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(requeuedAt).containsExactly(5);
        assertThat(resumedAt).as("stuck five minutes after it moved, then recovered with doubling pauses from one")
                .containsExactly(12, 17, 27);
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
        Job done = running(admitted).succeed(List.of(Output.of("https://cdn/x.png", "image/png")), clock.instant());
        jobs.update(done);
        return done;
    }
}
