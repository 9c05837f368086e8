package run.creativeai.gateway.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.testing.Jobs;

class JobTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void aJobServedByItsFirstLinkReportsThatModelAndNoFailover() {
        Job job = Jobs.queuedImage("seedream", T0)
                .beginAttempt("seedream", "seedream", T0.plusMillis(40))
                .attemptSubmitted("req-1")
                .succeed(List.of(Output.of("https://cdn/x.png", "image/png")), T0.plusMillis(1240));

        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.modelActual()).contains("seedream");
        assertThat(job.failoverUsed()).isFalse();
        assertThat(job.timings().queueWait()).contains(Duration.ofMillis(40));
        assertThat(job.inferenceTime()).contains(Duration.ofMillis(1200));
    }

    @Test
    void aJobServedByALaterLinkSaysFailoverWasUsedAndKeepsEveryAttempt() {
        Job job = Jobs.queuedImage("seedream", T0)
                .beginAttempt("seedream", "seedream", T0)
                .attemptEnded(AttemptOutcome.UNAVAILABLE, "capacity: 429", T0.plusMillis(100))
                .beginAttempt("flux", "flux", T0.plusMillis(100))
                .attemptSubmitted("req-2")
                .succeed(List.of(Output.of("https://cdn/y.png", "image/png")), T0.plusSeconds(2));

        assertThat(job.modelActual()).contains("flux");
        assertThat(job.failoverUsed()).isTrue();
        assertThat(job.attempts()).extracting(ProviderAttempt::model, ProviderAttempt::outcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("seedream", AttemptOutcome.UNAVAILABLE),
                        org.assertj.core.groups.Tuple.tuple("flux", AttemptOutcome.SUCCEEDED));
        assertThat(job.timings().queueWait()).as("queue wait ends at the first attempt").contains(Duration.ZERO);
    }

    @Test
    void aLinkPassedOverForCapacityIsRecordedWithoutStartingTheJobAndItsQueueWaitRunsOn() {
        Job skipped = Jobs.queuedImage("seedream", T0)
                .linkSkipped("seedream", "seedream", 1, "capacity: all 100 slots are in use", T0.plusMillis(10));
        assertThat(skipped.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(skipped.timings().startedAt()).isEmpty();
        Job served = skipped.beginAttempt("flux", "flux", T0.plusMillis(900)).attemptSubmitted("req-3")
                .succeed(List.of(Output.of("https://cdn/z.png", "image/png")), T0.plusSeconds(2));
        assertThat(served.attempts()).extracting(ProviderAttempt::number, ProviderAttempt::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, AttemptOutcome.SKIPPED),
                org.assertj.core.groups.Tuple.tuple(2, AttemptOutcome.SUCCEEDED));
        assertThat(served.failoverUsed()).isTrue();
        assertThat(served.timings().queueWait()).contains(Duration.ofMillis(900));
    }

    @Test
    void aSecondRoundKeepsTheFirstRoundsAttemptsAndTheJobIsBetweenLinksUntilItsNextLinkStarts() {
        Job timedOut = Jobs.queuedImage("sdxl", T0).beginAttempt("sdxl", "sdxl", T0)
                .attemptEnded(AttemptOutcome.TIMED_OUT, "timeout: no answer within 5 s", T0.plusSeconds(5));
        assertThat(timedOut.isBetweenLinks()).isTrue();
        assertThat(timedOut.round()).isEqualTo(1);
        Job retried = timedOut.beginAttempt("sdxl", "sdxl", 2, T0.plusSeconds(5));
        assertThat(retried.round()).isEqualTo(2);
        assertThat(retried.isBetweenLinks()).isFalse();
        assertThat(retried.attempts()).extracting(ProviderAttempt::round).containsExactly(1, 2);
        assertThatThrownBy(() -> retried.linkSkipped("sdxl", "sdxl", 2, "x", T0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void everyChangeIsANewVersion() {
        Job queued = Jobs.queuedImage("sdxl", T0);
        Job running = queued.beginAttempt("sdxl", "sdxl", T0);
        assertThat(queued.version()).isEqualTo(1);
        assertThat(running.version()).isEqualTo(2);
        assertThat(running.attemptSubmitted("r").version()).isEqualTo(3);
    }

    @Test
    void aQueuedJobCannotSucceedWithoutAnAttempt() {
        assertThatThrownBy(() -> Jobs.queuedImage("sdxl", T0).succeed(List.of(), T0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("without an open attempt");
    }

    @Test
    void anEndedJobStaysEndedButStillRecordsWebhookAttempts() {
        Job failed = Jobs.queuedImage("sdxl", T0).fail(new JobError("providers_unavailable", "none"), T0);
        assertThatThrownBy(() -> failed.beginAttempt("sdxl", "sdxl", T0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> failed.cancel(T0)).isInstanceOf(IllegalStateException.class);
        Job recorded = failed.webhookAttempted(new WebhookAttempt(1, "evt_1", T0, java.util.Optional.of(200),
                java.util.Optional.empty(), 12));
        assertThat(recorded.status()).isEqualTo(JobStatus.FAILED);
        assertThat(recorded.webhookAttempts()).hasSize(1);
    }

    @Test
    void onlyTheAllowedMovesExist() {
        assertThat(JobStatus.QUEUED.canBecome(JobStatus.RUNNING)).isTrue();
        assertThat(JobStatus.QUEUED.canBecome(JobStatus.CANCELED)).isTrue();
        assertThat(JobStatus.RUNNING.canBecome(JobStatus.SUCCEEDED)).isTrue();
        assertThat(JobStatus.SUCCEEDED.canBecome(JobStatus.FAILED)).isFalse();
        assertThat(JobStatus.CANCELED.canBecome(JobStatus.RUNNING)).isFalse();
        assertThat(JobStatus.RUNNING.canBecome(JobStatus.QUEUED)).isFalse();
    }

    // ---- what an ended job costs

    private static Job pricedSeedream() {
        return Jobs.queuedPricedImage("seedream", T0, "seedream", 30, "flux", 4, "sdxl", 4);
    }

    @Test
    void aJobReservesItsDearestLinkAndIsChargedTheLinkThatServedIt() {
        Job job = pricedSeedream()
                .beginAttempt("seedream", "seedream", T0)
                .attemptEnded(AttemptOutcome.UNAVAILABLE, "503", T0.plusMillis(100))
                .beginAttempt("flux", "flux", T0.plusMillis(100))
                .attemptSubmitted("req-1")
                .succeed(List.of(Output.of("https://cdn/y.png", "image/png")), T0.plusSeconds(2));
        assertThat(job.cost().reserved()).isEqualTo(30);
        assertThat(job.charge()).contains(new Charge(30, 4));
        assertThat(job.charge().orElseThrow().refunded()).isEqualTo(26);
    }

    @Test
    void aRunningJobHasNoChargeYet() {
        assertThat(pricedSeedream().beginAttempt("seedream", "seedream", T0).charge()).isEmpty();
    }

    @Test
    void aFailedJobIsRefundedInFull() {
        Job job = pricedSeedream().beginAttempt("seedream", "seedream", T0).attemptSubmitted("req-1")
                .fail(new JobError("upstream_timeout", "every provider timed out"), T0.plusSeconds(5));
        assertThat(job.charge()).contains(new Charge(30, 0));
    }

    @Test
    void aJobCancelledBeforeAnyProviderAcceptedItIsRefundedInFull() {
        assertThat(pricedSeedream().cancel(T0.plusSeconds(1)).charge()).as("queued").contains(new Charge(30, 0));
        assertThat(pricedSeedream().beginAttempt("seedream", "seedream", T0).cancel(T0.plusSeconds(1)).charge())
                .as("submitted, not yet accepted").contains(new Charge(30, 0));
        assertThat(pricedSeedream().beginAttempt("seedream", "seedream", T0)
                .attemptEnded(AttemptOutcome.UNAVAILABLE, "503", T0.plusMillis(100)).cancel(T0.plusSeconds(1)).charge())
                .as("between links").contains(new Charge(30, 0));
    }

    @Test
    void aJobCancelledWhileAProviderWorksOnItIsChargedThatProvidersPrice() {
        Job job = pricedSeedream().beginAttempt("seedream", "seedream", T0)
                .attemptEnded(AttemptOutcome.UNAVAILABLE, "503", T0.plusMillis(100))
                .beginAttempt("flux", "flux", T0.plusMillis(100)).attemptSubmitted("req-2")
                .cancel(T0.plusSeconds(1));
        assertThat(job.charge()).contains(new Charge(30, 4));
    }

    @Test
    void aDeadlineIsMeasuredFromAdmissionAndAbortsAQueuedJobAtNoCostButCancelsARunningOne() {
        Instant admitted = Instant.parse("2026-12-05T09:00:00Z");
        Job queued = Jobs.withCancelAfter(Jobs.queuedPricedImage("sdxl", admitted, "sdxl", 4), Duration.ofSeconds(30));
        assertThat(queued.deadline()).contains(admitted.plusSeconds(30));
        assertThat(queued.isPastDeadline(admitted.plusSeconds(29))).isFalse();
        assertThat(queued.isPastDeadline(admitted.plusSeconds(30))).isTrue();
        assertThatThrownBy(() -> queued.expire(admitted.plusSeconds(29))).isInstanceOf(IllegalStateException.class);

        Job aborted = queued.expire(admitted.plusSeconds(30));
        assertThat(aborted.status()).isEqualTo(JobStatus.ABORTED);
        assertThat(aborted.status().isTerminal()).isTrue();
        assertThat(aborted.charge()).contains(new Charge(4, 0));
        assertThat(aborted.timings().finishedAt()).contains(admitted.plusSeconds(30));

        Job running = queued.beginAttempt("sdxl", "sdxl", admitted.plusSeconds(1)).attemptSubmitted("req-1");
        Job canceled = running.expire(admitted.plusSeconds(31));
        assertThat(canceled.status()).isEqualTo(JobStatus.CANCELED);
        assertThat(canceled.currentAttempt().orElseThrow().outcome()).isEqualTo(AttemptOutcome.CANCELED);
        assertThat(canceled.charge()).as("the provider started the work").contains(new Charge(4, 4));
        assertThat(Jobs.queuedImage("sdxl", admitted).deadline()).as("no Cancel-After, no deadline").isEmpty();
    }
}
