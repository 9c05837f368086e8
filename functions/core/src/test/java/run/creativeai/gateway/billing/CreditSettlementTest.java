package run.creativeai.gateway.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.job.Charge;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobError;
import run.creativeai.gateway.job.Output;
import run.creativeai.gateway.limits.KeyBudget;
import run.creativeai.gateway.testing.Jobs;
import run.creativeai.gateway.testing.MutableClock;

/** What settling an ended job writes, from the job alone: its charge, its line of usage, its budget refund. */
class CreditSettlementTest {
    private final MutableClock clock = MutableClock.at("2026-11-23T23:59:58Z");
    private final List<Settlement> written = new ArrayList<>();
    private final CreditSettlement settlements = new CreditSettlement(s -> {
        written.add(s);
        return true;
    }, clock);

    private Job succeededOnFlux(Job queued) {
        return queued.beginAttempt("seedream", "seedream", clock.instant())
                .attemptEnded(run.creativeai.gateway.job.AttemptOutcome.UNAVAILABLE, "503", clock.instant())
                .beginAttempt("flux", "flux", clock.instant()).attemptSubmitted("req-1")
                .succeed(List.of(Output.of("https://cdn/a.png", "image/png")), clock.instant());
    }

    @Test
    void aJobThatIsStillRunningIsNotSettled() {
        settlements.settle(Jobs.queuedPricedImage("seedream", clock.instant(), "seedream", 30, "flux", 4));
        assertThat(written).isEmpty();
    }

    @Test
    void aJobAdmittedBeforeMidnightAndEndedAfterItCountsOnTheDayItWasAdmittedUnderTheModelThatServedIt() {
        Job queued = Jobs.queuedPricedImage("seedream", clock.instant(), "seedream", 30, "flux", 4, "sdxl", 4);
        clock.advance(Duration.ofSeconds(5));
        settlements.settle(succeededOnFlux(queued));
        Settlement settlement = written.get(0);
        assertThat(settlement.charge()).isEqualTo(new Charge(30, 4));
        assertThat(settlement.usage()).isEqualTo(new UsageEntry(LocalDate.parse("2026-11-23"), "flux", "key_test1", 1, 1,
                0, 0, 1, 0, 4, 26));
        assertThat(settlement.budget()).as("the key has no budget").isEmpty();
    }

    @Test
    void aFailedJobCountsAsFailedUnderItsRequestedModelAndIsRefundedInFull() {
        Job failed = Jobs.queuedPricedImage("seedream", clock.instant(), "seedream", 30)
                .fail(new JobError("model_unavailable", "gone"), clock.instant());
        settlements.settle(failed);
        assertThat(written.get(0).usage()).isEqualTo(new UsageEntry(LocalDate.parse("2026-11-23"), "seedream",
                "key_test1", 1, 0, 1, 0, 0, 0, 0, 30));
    }

    @Test
    void theRefundGoesBackToTheKeysBudgetOnlyWhileTheDayItWasCountedInLasts() {
        Job queued = Jobs.queuedPricedImage("seedream", clock.instant(), "seedream", 30, "flux", 4);
        Job budgeted = Job.admitted(queued.id(), queued.tenantId(), queued.keyId(), queued.tier(), queued.plan(),
                queued.request(), queued.model(), queued.timings().createdAt(), queued.cost().countedInKeyBudget(),
                queued.terms());
        Job done = succeededOnFlux(budgeted);
        settlements.settle(done);
        assertThat(written.get(0).budget()).contains(new Settlement.BudgetRefund("key_test1",
                KeyBudget.rule(1).windowIndex(queued.timings().createdAt()), 26));

        clock.advance(Duration.ofSeconds(5));
        settlements.settle(done);
        assertThat(written.get(1).budget()).as("settled after midnight: the new day's budget starts afresh").isEmpty();
        assertThat(written.get(1).usage().day()).isEqualTo(LocalDate.parse("2026-11-23"));
        assertThat(Optional.of(written.get(1).charge())).contains(new Charge(30, 4));
    }
}
