package run.creativeai.gateway.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import run.creativeai.gateway.job.AttemptOutcome;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobError;
import run.creativeai.gateway.job.Output;
import run.creativeai.gateway.job.SkippedLink;
import run.creativeai.gateway.job.StoredOutput;
import run.creativeai.gateway.model.FailoverChain;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.model.Model;
import run.creativeai.gateway.provider.ProgressOutcome;
import run.creativeai.gateway.provider.SubmitOutcome;
import run.creativeai.gateway.provider.Unavailability;
import run.creativeai.gateway.testing.Jobs;

/** The failover rules as plain functions of values: a job, its chain, what happened -> the next step. */
class FailoverPolicyTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Model SEEDREAM = image("seedream", "flux", "sdxl");
    private static final Model FLUX = image("flux", "sdxl");
    private static final Model SDXL = image("sdxl");
    private static final FailoverChain CHAIN = new FailoverChain(List.of(SEEDREAM, FLUX, SDXL));

    private final FailoverPolicy policy = new FailoverPolicy(PollSchedule.standard());

    private static Model image(String id, String... failover) {
        return new Model(id, JobKind.IMAGE, List.of(), id, "provider/" + id, List.of(failover));
    }

    private static Job queued() {
        return Jobs.queuedImage("seedream", T0);
    }

    /** The job with an attempt on each of {@code links} in round {@code round}, each ended as {@code outcome}. */
    private static Job tried(Job job, int round, AttemptOutcome outcome, Model... links) {
        Job current = job;
        for (Model link : links) {
            current = current.beginAttempt(link.id(), link.provider(), round, T0).attemptEnded(outcome, "x", T0);
        }
        return current;
    }

    private static Job running(Job job, Model link) {
        return job.beginAttempt(link.id(), link.provider(), job.round(), T0);
    }

    private Step next(Job job, FailoverEvent event) {
        return policy.next(job, CHAIN, event);
    }

    @Test
    void aQueuedJobGoesToTheFirstLinkOfItsChain() {
        assertThat(next(queued(), FailoverEvent.LinkWanted.in(1))).isEqualTo(new Step.Submit(SEEDREAM, 1, List.of()));
    }

    @Test
    void aJobBetweenLinksResumesAfterTheLastLinkItTried() {
        Job afterSeedream = tried(queued(), 1, AttemptOutcome.UNAVAILABLE, SEEDREAM);
        assertThat(next(afterSeedream, FailoverEvent.LinkWanted.in(1))).isEqualTo(new Step.Submit(FLUX, 1, List.of()));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "CAPACITY, UNAVAILABLE, 'capacity: HTTP 429'",
            "SERVER_ERROR, UNAVAILABLE, 'server_error: HTTP 502'",
            "TIMEOUT, TIMED_OUT, 'timeout: no answer within 5 s'",
            "MALFORMED_RESPONSE, UNAVAILABLE, 'malformed_response: not JSON'",
            "UNREACHABLE, UNAVAILABLE, 'unreachable: connection refused'",
            "CIRCUIT_OPEN, SKIPPED, 'circuit_open: circuit open after repeated failures'"})
    void aProviderThatCannotServeTheSubmissionHandsTheJobOn(Unavailability reason, AttemptOutcome recorded,
            String why) {
        String detail = why.substring(why.indexOf(": ") + 2);
        Step step = next(running(queued(), SEEDREAM),
                new FailoverEvent.SubmitAnswered(new SubmitOutcome.Unavailable(reason, detail)));
        assertThat(step).isEqualTo(new Step.FailOver(recorded, why));
    }

    @Test
    void theCustomersOwnInvalidInputFailsTheJobWithoutFailover() {
        Step atSubmission = next(running(queued(), SEEDREAM),
                new FailoverEvent.SubmitAnswered(new SubmitOutcome.InputRejected("prompt: violates the content policy")));
        Step midJob = next(running(queued(), SEEDREAM).attemptSubmitted("p-1"), new FailoverEvent.Looked(
                new ProgressCheck(queued().id(), 1, 1), new ProgressOutcome.InputRejected("nsfw"), T0));

        assertThat(atSubmission).isEqualTo(new Step.Fail(new JobError("provider_rejected_input",
                "prompt: violates the content policy")));
        assertThat(midJob).isEqualTo(new Step.Fail(new JobError("provider_rejected_input", "nsfw")));
    }

    @Test
    void anAcceptedSubmissionIsLookedAtAfterTheFirstDelayOfItsKind() {
        Job job = running(queued(), SEEDREAM);
        Step step = next(job, new FailoverEvent.SubmitAnswered(new SubmitOutcome.Submitted("p-1")));
        assertThat(step).isEqualTo(new Step.AwaitResult("p-1", new ProgressCheck(job.id(), 1, 1), Duration.ofSeconds(1)));
    }

    @Test
    void aCompletedAttemptHasItsOutputsCopiedBeforeTheJobSucceeds() {
        Job job = running(queued(), SEEDREAM).attemptSubmitted("p-1");
        List<Output> outputs = List.of(Output.of("https://cdn/1.png", "image/png"));
        ProgressCheck check = new ProgressCheck(job.id(), 1, 1);
        Step step = next(job, new FailoverEvent.Looked(check, new ProgressOutcome.Completed(outputs), T0.plusSeconds(1)));
        assertThat(step).isEqualTo(new Step.CopyOutputs(outputs, check, T0.plusSeconds(1)));
    }

    @Test
    void storedOutputsSucceedTheJobWithTheAttemptEndedWhenTheProviderFinished() {
        Job job = running(queued(), SEEDREAM).attemptSubmitted("p-1");
        List<StoredOutput> stored = List.of(new StoredOutput("k/1/0.png", "image/png", 10, "ab", T0.plusSeconds(2),
                Optional.empty(), Optional.empty()));
        assertThat(next(job, new FailoverEvent.Copied(stored, T0.plusSeconds(1))))
                .isEqualTo(new Step.Succeed(stored, T0.plusSeconds(1)));
    }

    @Test
    void anOutputTheProviderNoLongerServesFailsTheAttemptOverAsExpired() {
        Job job = running(queued(), SEEDREAM).attemptSubmitted("p-1");
        Step step = next(job, new FailoverEvent.CopyFailed(new ProgressCheck(job.id(), 1, 3), 0,
                new CopyOutcome.Gone("HTTP 404")));
        assertThat(step).isEqualTo(new Step.FailOver(AttemptOutcome.UNAVAILABLE, "provider_output_expired: output 1 of"
                + " the provider's result is no longer served by the provider (HTTP 404)"));
        // ... and the failed-over job moves to the next link, as after any other unavailable attempt.
        Job afterSeedream = tried(queued(), 1, AttemptOutcome.UNAVAILABLE, SEEDREAM);
        assertThat(next(afterSeedream, FailoverEvent.LinkWanted.in(1))).isEqualTo(new Step.Submit(FLUX, 1, List.of()));
    }

    @Test
    void anOutputFoundExpiredByAnAnnouncedLookFailsOverAtOnceToo() {
        Job job = running(queued(), SEEDREAM).attemptSubmitted("p-1");
        Step step = next(job, new FailoverEvent.CopyFailed(ProgressCheck.announced(job.id(), 1), 1,
                new CopyOutcome.Gone("HTTP 403")));
        assertThat(step).isInstanceOfSatisfying(Step.FailOver.class,
                f -> assertThat(f.why()).startsWith("provider_output_expired: output 2 of"));
    }

    @Test
    void anOutputOutsideWhatTheGatewayMayFetchFailsOverAsRefused() {
        Job job = running(queued(), SEEDREAM).attemptSubmitted("p-1");
        Step step = next(job, new FailoverEvent.CopyFailed(new ProgressCheck(job.id(), 1, 1), 0,
                new CopyOutcome.Refused("points at a private address")));
        assertThat(step).isEqualTo(new Step.FailOver(AttemptOutcome.UNAVAILABLE,
                "provider_output_refused: output 1 of the provider's result points at a private address"));
    }

    @Test
    void aCopyThatFailedIsTriedAgainByTheNextScheduledCheckWithABackOff() {
        Job job = running(queued(), SEEDREAM).attemptSubmitted("p-1");
        ProgressCheck check = new ProgressCheck(job.id(), 1, 2);
        List<Duration> delays = new java.util.ArrayList<>();
        for (int tries = 1; tries < PollSchedule.COPY_TRIES; tries++) {
            Step step = next(job, new FailoverEvent.CopyFailed(check, 0,
                    new CopyOutcome.Failed(CopyOutcome.Side.SOURCE, "HTTP 502")));
            assertThat(step).as("try " + tries).isInstanceOf(Step.RetryCopy.class);
            Step.RetryCopy retry = (Step.RetryCopy) step;
            assertThat(retry.check()).isEqualTo(new ProgressCheck(job.id(), 1, check.check() + 1, tries));
            delays.add(retry.delay());
            check = retry.check();
        }
        assertThat(delays).isSorted().first().isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aProviderWhoseOutputCannotBeReadAfterEveryTryFailsOver() {
        Job job = running(queued(), SEEDREAM).attemptSubmitted("p-1");
        Step step = next(job, new FailoverEvent.CopyFailed(new ProgressCheck(job.id(), 1, 6, PollSchedule.COPY_TRIES - 1),
                0, new CopyOutcome.Failed(CopyOutcome.Side.SOURCE, "connection reset after 3 of 9 MB")));
        assertThat(step).isInstanceOfSatisfying(Step.FailOver.class, f -> {
            assertThat(f.outcome()).isEqualTo(AttemptOutcome.UNAVAILABLE);
            assertThat(f.why()).startsWith("provider_output_unreadable: output 1 of the provider's result")
                    .contains(PollSchedule.COPY_TRIES + " tries").contains("connection reset after 3 of 9 MB");
        });
    }

    @Test
    void aBucketThatCannotBeWrittenAfterEveryTryFailsTheJobInsteadOfAnotherProvider() {
        Job job = running(queued(), SEEDREAM).attemptSubmitted("p-1");
        Step step = next(job, new FailoverEvent.CopyFailed(new ProgressCheck(job.id(), 1, 6, PollSchedule.COPY_TRIES - 1),
                0, new CopyOutcome.Failed(CopyOutcome.Side.STORAGE, "S3 503 Slow Down")));
        assertThat(step).isInstanceOfSatisfying(Step.Fail.class, f -> {
            assertThat(f.error().code()).isEqualTo("output_storage_failed");
            assertThat(f.error().message()).contains("S3 503 Slow Down");
        });
    }

    @Test
    void aCopyThatFailedOnAnAnnouncedLookIsLeftToTheScheduledChecks() {
        Job job = running(queued(), SEEDREAM).attemptSubmitted("p-1");
        assertThat(next(job, new FailoverEvent.CopyFailed(ProgressCheck.announced(job.id(), 1), 0,
                new CopyOutcome.Failed(CopyOutcome.Side.STORAGE, "timeout")))).isEqualTo(new Step.LeaveRunning());
    }

    @ParameterizedTest(name = "{0} mid-job -> {1}")
    @CsvSource({"SERVER_ERROR, UNAVAILABLE", "TIMEOUT, TIMED_OUT", "CIRCUIT_OPEN, UNAVAILABLE",
            "MALFORMED_RESPONSE, UNAVAILABLE"})
    void aProviderThatFailsTheWorkMidJobHandsItToTheNextLink(Unavailability reason, AttemptOutcome recorded) {
        Job job = running(queued(), SEEDREAM).attemptSubmitted("p-1");
        Step step = next(job, new FailoverEvent.Looked(new ProgressCheck(job.id(), 1, 1),
                new ProgressOutcome.Failed(reason, "runner crashed"), T0));
        assertThat(step).isEqualTo(new Step.FailOver(recorded, reason.name().toLowerCase() + ": runner crashed"));
    }

    @Test
    void unfinishedWorkIsLookedAtAgainWithBackOffUntilItsTimeoutThenAbandoned() {
        Job job = running(queued(), SEEDREAM).attemptSubmitted("p-1");
        ProgressCheck third = new ProgressCheck(job.id(), 1, 3);

        assertThat(next(job, new FailoverEvent.Looked(third, new ProgressOutcome.InProgress(), T0.plusSeconds(10))))
                .isEqualTo(new Step.CheckAgain(new ProgressCheck(job.id(), 1, 4), Duration.ofSeconds(4)));
        assertThat(next(job, new FailoverEvent.Looked(third, new ProgressOutcome.Unknown("HTTP 502"), T0.plusSeconds(10))))
                .as("a provider that could not be asked this time is asked again")
                .isEqualTo(new Step.CheckAgain(new ProgressCheck(job.id(), 1, 4), Duration.ofSeconds(4)));
        assertThat(next(job, new FailoverEvent.Looked(third, new ProgressOutcome.InProgress(), T0.plusSeconds(120))))
                .isEqualTo(new Step.Abandon("timeout: no result after 120 s"));
    }

    @Test
    void anAnnouncedLookThatFindsTheWorkUnfinishedLeavesTheScheduledLooksToCarryOn() {
        Job job = running(queued(), SEEDREAM).attemptSubmitted("p-1");
        Step step = next(job, new FailoverEvent.Looked(ProgressCheck.announced(job.id(), 1),
                new ProgressOutcome.InProgress(), T0.plusSeconds(500)));
        assertThat(step).isEqualTo(new Step.LeaveRunning());
    }

    @Test
    void aSubmissionWhoseProviderIdWasNeverRecordedCountsAsTimedOut() {
        assertThat(next(running(queued(), SEEDREAM), new FailoverEvent.SubmissionLost()))
                .isEqualTo(new Step.FailOver(AttemptOutcome.TIMED_OUT, "timeout: the submission was never recorded"));
    }

    @Test
    void whenNoLinkCanServeTheJobFailsAsUnavailable() {
        Job everyLinkDown = tried(queued(), 1, AttemptOutcome.UNAVAILABLE, SEEDREAM, FLUX, SDXL);
        assertThat(next(everyLinkDown, FailoverEvent.LinkWanted.in(1))).isEqualTo(new Step.Fail(new JobError(
                "providers_unavailable", "no provider of the seedream failover chain could serve the job")));
    }

    @Test
    void aRoundInWhichEveryCalledLinkTimedOutIsRetriedOnceFromTheFirstLinkThenFailsWith504Semantics() {
        Job firstRound = tried(queued(), 1, AttemptOutcome.TIMED_OUT, SEEDREAM, FLUX, SDXL);
        assertThat(next(firstRound, FailoverEvent.LinkWanted.in(1))).isEqualTo(new Step.RetryRound(2));
        assertThat(next(firstRound, FailoverEvent.LinkWanted.in(2))).isEqualTo(new Step.Submit(SEEDREAM, 2, List.of()));

        Job secondRound = tried(firstRound, 2, AttemptOutcome.TIMED_OUT, SEEDREAM, FLUX, SDXL);
        Step step = next(secondRound, FailoverEvent.LinkWanted.in(2));
        assertThat(step).isInstanceOf(Step.Fail.class);
        JobError error = ((Step.Fail) step).error();
        assertThat(error.code()).isEqualTo("upstream_timeout");
        assertThat(error.message()).contains("504");
    }

    @Test
    void linksPassedOverWithoutACallDoNotStopARoundFromCountingAsTimedOut() {
        Job timedOutAndSkipped = tried(tried(queued(), 1, AttemptOutcome.TIMED_OUT, SEEDREAM), 1,
                AttemptOutcome.SKIPPED, FLUX, SDXL);
        Job timedOutAndFailed = tried(tried(queued(), 1, AttemptOutcome.TIMED_OUT, SEEDREAM, FLUX), 1,
                AttemptOutcome.UNAVAILABLE, SDXL);
        Job onlySkipped = tried(queued(), 1, AttemptOutcome.SKIPPED, SEEDREAM, FLUX, SDXL);

        assertThat(next(timedOutAndSkipped, FailoverEvent.LinkWanted.in(1))).isEqualTo(new Step.RetryRound(2));
        assertThat(next(timedOutAndFailed, FailoverEvent.LinkWanted.in(1))).as("a 5xx is an answer, not a timeout")
                .isInstanceOf(Step.Fail.class);
        assertThat(next(onlySkipped, FailoverEvent.LinkWanted.in(1))).as("nothing was called, nothing timed out")
                .isInstanceOf(Step.Fail.class);
    }

    @Test
    void aLinkWithoutRoomIsPassedOverAndRecordedWithTheAttemptOfTheNextLinkThatHasRoom() {
        Job job = queued();
        Step.Submit atSeedream = new Step.Submit(SEEDREAM, 1, List.of());
        SkippedLink skipped = new SkippedLink("seedream", "seedream", "capacity: all 1 slots are in use");

        Step step = next(job, new FailoverEvent.NoRoom(atSeedream, "capacity: all 1 slots are in use"));

        assertThat(step).isEqualTo(new Step.Skip(skipped, new FailoverEvent.LinkWanted(1, List.of(skipped))));
        assertThat(next(job, ((Step.Skip) step).then())).isEqualTo(new Step.Submit(FLUX, 1, List.of(skipped)));
    }

    @Test
    void whenNoRemainingLinkHasRoomTheJobWaitsForTheFullProviders() {
        Job afterSeedream = tried(queued(), 1, AttemptOutcome.UNAVAILABLE, SEEDREAM);
        List<SkippedLink> full = List.of(new SkippedLink("flux", "flux", "full"), new SkippedLink("sdxl", "sdxl", "full"));
        assertThat(next(afterSeedream, new FailoverEvent.LinkWanted(1, full)))
                .isEqualTo(new Step.WaitForRoom(Set.of("flux", "sdxl")));
    }

    private static Model imageDoing(String id, java.util.Set<run.creativeai.gateway.model.Operation> operations,
            String... failover) {
        java.util.Map<run.creativeai.gateway.model.Operation, String> map = new java.util.EnumMap<>(
                run.creativeai.gateway.model.Operation.class);
        operations.forEach(o -> map.put(o, "provider/" + id + "/" + o.wireName()));
        return new Model(id, JobKind.IMAGE, List.of(), id, map, List.of(failover));
    }

    private static Job queuedImageToImage() {
        var request = new run.creativeai.gateway.job.GenerationRequest(JobKind.IMAGE, "seedream", "a fox", 1,
                java.util.Optional.empty(), java.util.Optional.empty(),
                run.creativeai.gateway.model.Operation.IMAGE_TO_IMAGE,
                java.util.Optional.of(new run.creativeai.gateway.media.MediaSource.Upload(
                        new run.creativeai.gateway.media.UploadId("upl_01jabcdefghjkmnpqrstvwxyz0"))),
                java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty());
        return Jobs.queued(request, "seedream", T0);
    }

    @Test
    void aLinkWhoseModelCannotDoTheOperationIsNeverAskedNorWaitedFor() {
        var both = java.util.Set.of(run.creativeai.gateway.model.Operation.TEXT_TO_IMAGE,
                run.creativeai.gateway.model.Operation.IMAGE_TO_IMAGE);
        Model seedream = imageDoing("seedream", both, "flux", "sdxl");
        Model textOnly = imageDoing("flux", java.util.Set.of(run.creativeai.gateway.model.Operation.TEXT_TO_IMAGE), "sdxl");
        Model sdxl = imageDoing("sdxl", both);
        FailoverChain chain = new FailoverChain(List.of(seedream, textOnly, sdxl));
        Job afterSeedream = tried(queuedImageToImage(), 1, AttemptOutcome.UNAVAILABLE, seedream);

        assertThat(policy.next(afterSeedream, chain, FailoverEvent.LinkWanted.in(1)))
                .isEqualTo(new Step.Submit(sdxl, 1, List.of()));
        assertThat(policy.links(afterSeedream, chain)).containsExactly(seedream, sdxl);
        Step.Skip full = (Step.Skip) policy.next(afterSeedream, chain,
                new FailoverEvent.NoRoom(new Step.Submit(sdxl, 1, List.of()), "no slot"));
        assertThat(policy.next(afterSeedream, chain, full.then()))
                .as("the provider it cannot use is not one it waits for").isEqualTo(new Step.WaitForRoom(Set.of("sdxl")));
        Job textJob = Jobs.queuedImage("seedream", T0);
        assertThat(policy.next(tried(textJob, 1, AttemptOutcome.UNAVAILABLE, seedream), chain,
                FailoverEvent.LinkWanted.in(1))).isEqualTo(new Step.Submit(textOnly, 1, List.of()));
    }

    @Test
    void aChainNoLinkOfWhichCanDoTheOperationFailsTheJobSayingSo() {
        Model textOnly = imageDoing("seedream", java.util.Set.of(run.creativeai.gateway.model.Operation.TEXT_TO_IMAGE));
        Step step = policy.next(queuedImageToImage(), new FailoverChain(List.of(textOnly)), FailoverEvent.LinkWanted.in(1));
        assertThat(step).isInstanceOf(Step.Fail.class);
        assertThat(((Step.Fail) step).error().code()).isEqualTo("operation_unavailable");
    }
}
