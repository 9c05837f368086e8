package run.creativeai.gateway.concurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.concurrency.TenantConcurrency.Work;
import run.creativeai.gateway.dispatch.PollSchedule;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.plan.PlanCatalog;
import run.creativeai.gateway.plan.Tier;
import run.creativeai.gateway.plan.WorkKind;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantTerms;
import run.creativeai.gateway.testing.InMemorySlotPool;
import run.creativeai.gateway.testing.Jobs;
import run.creativeai.gateway.testing.MutableClock;
import run.creativeai.gateway.testing.TierCapsOfTheSeeds;

/** Seed 002's concurrency by kind: generation 10, training 2, workflows 5 per tenant, the rest waiting queued. */
class ConcurrencyByKindTest {
    private static final TenantId ACME = new TenantId("acme");
    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final InMemorySlotPool slots = new InMemorySlotPool();
    private final TenantConcurrency concurrency = TenantConcurrency.standard(slots, PlanCatalog.defaults(),
            ModelCatalog.defaults(), PollSchedule.standard(), TierCapsOfTheSeeds.CAPS, 1);

    private static Work work(WorkKind kind, String id, String plan) {
        return new Work(kind, id, ACME, plan, TenantTerms.none());
    }

    private Job generation(String plan) {
        Job template = Jobs.queuedImage("sdxl", clock.instant());
        Tier tier = PlanCatalog.defaults().find(plan).orElseThrow().tier();
        return Job.admitted(template.id(), ACME, new KeyId("key_kind1"), tier, plan, template.request(), "sdxl",
                clock.instant());
    }

    @Test
    void aThirdTrainingWaitsWhileTwoHoldSlotsAndAReleaseLetsItIn() {
        Work first = work(WorkKind.TRAINING, "trn_1", "starter");
        Work second = work(WorkKind.TRAINING, "trn_2", "starter");
        Work third = work(WorkKind.TRAINING, "trn_3", "starter");
        assertThat(concurrency.tryStart(first, clock.instant())).isInstanceOf(SlotGrant.Granted.class);
        assertThat(concurrency.tryStart(second, clock.instant())).isInstanceOf(SlotGrant.Granted.class);
        SlotGrant waits = concurrency.tryStart(third, clock.instant());
        assertThat(waits).as("queued, not refused").isInstanceOf(SlotGrant.Full.class);
        assertThat(((SlotGrant.Full) waits).limitedBy()).isEqualTo(new SlotGrant.ClassFull("training"));

        assertThat(concurrency.release(first)).isTrue();
        assertThat(concurrency.release(first)).as("given back once").isFalse();
        assertThat(concurrency.tryStart(third, clock.instant())).isInstanceOf(SlotGrant.Granted.class);
        assertThat(concurrency.running(ACME, clock.instant()).active(WorkKind.TRAINING)).isEqualTo(2);
    }

    @Test
    void workflowsHoldTheirOwnSlotsAndLeaveEveryGenerationSlotToTheirSteps() {
        for (int i = 1; i <= 5; i++) {
            assertThat(concurrency.tryStart(work(WorkKind.WORKFLOW, "wf_" + i, "starter"), clock.instant()))
                    .as("workflow " + i).isInstanceOf(SlotGrant.Granted.class);
        }
        assertThat(concurrency.tryStart(work(WorkKind.WORKFLOW, "wf_6", "starter"), clock.instant()))
                .as("the sixth workflow waits").isInstanceOf(SlotGrant.Full.class);
        assertThat(concurrency.tryStart(work(WorkKind.TRAINING, "trn_1", "starter"), clock.instant()))
                .as("a training is not a workflow").isInstanceOf(SlotGrant.Granted.class);
        for (int i = 1; i <= 5; i++) {
            assertThat(concurrency.tryStart(generation("starter"), clock.instant())).as("step job " + i)
                    .isInstanceOf(SlotGrant.Granted.class);
        }
        TenantConcurrency.Running running = concurrency.running(ACME, clock.instant());
        assertThat(running.active(WorkKind.WORKFLOW)).isEqualTo(5);
        assertThat(running.active(WorkKind.TRAINING)).isEqualTo(1);
        assertThat(running.active(WorkKind.GENERATION)).as("neither is a generation task").isEqualTo(5);
    }

    @Test
    void generationRunsTenAtOnceWhereTheTierTableAllowsMore() {
        List<Job> running = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            Job job = generation("professional");
            assertThat(concurrency.tryStart(job, clock.instant())).as("job " + i).isInstanceOf(SlotGrant.Granted.class);
            running.add(job);
        }
        Job eleventh = generation("professional");
        assertThat(concurrency.tryStart(eleventh, clock.instant())).as("professional allows 25 tasks, generation 10")
                .isInstanceOf(SlotGrant.Full.class);
        concurrency.release(running.get(0));
        assertThat(concurrency.tryStart(eleventh, clock.instant())).isInstanceOf(SlotGrant.Granted.class);
    }

    @Test
    void takingAgainRenewsTheSlotAndADeadRunnersSlotComesBackWhenItsLeaseEnds() {
        Work kept = work(WorkKind.TRAINING, "trn_kept", "starter");
        Work dead = work(WorkKind.TRAINING, "trn_dead", "starter");
        concurrency.tryStart(kept, clock.instant());
        concurrency.tryStart(dead, clock.instant());
        Duration lease = TenantConcurrency.lease(WorkKind.TRAINING);
        clock.advance(lease.minusMinutes(1));
        assertThat(concurrency.tryStart(kept, clock.instant())).as("its runner takes it again: renewed, still one slot")
                .isInstanceOf(SlotGrant.Granted.class);
        assertThat(concurrency.running(ACME, clock.instant()).active(WorkKind.TRAINING)).isEqualTo(2);
        clock.advance(Duration.ofMinutes(2));
        assertThat(concurrency.tryStart(work(WorkKind.TRAINING, "trn_next", "starter"), clock.instant()))
                .as("the dead runner's lease ended").isInstanceOf(SlotGrant.Granted.class);
        assertThat(concurrency.tryStart(work(WorkKind.TRAINING, "trn_more", "starter"), clock.instant()))
                .as("the renewed one still holds its slot").isInstanceOf(SlotGrant.Full.class);
    }

    @Test
    void aTenantsCustomLimitsAndAnUnlimitedPlanStillCountWhatRuns() {
        TenantTerms three = new TenantTerms("{\"training\":{\"concurrent\":3}}", Map.of(), 1);
        for (int i = 1; i <= 3; i++) {
            assertThat(concurrency.tryStart(new Work(WorkKind.TRAINING, "trn_" + i, ACME, "starter", three),
                    clock.instant())).as("training " + i).isInstanceOf(SlotGrant.Granted.class);
        }
        TenantId big = new TenantId("bigco");
        for (int i = 1; i <= 12; i++) {
            assertThat(concurrency.tryStart(new Work(WorkKind.WORKFLOW, "wf_" + i, big, "enterprise", TenantTerms.none()),
                    clock.instant())).isInstanceOf(SlotGrant.Granted.class);
        }
        assertThat(concurrency.running(big, clock.instant()).active(WorkKind.WORKFLOW)).as("unlimited, still counted")
                .isEqualTo(12);
    }

    @Test
    void aGenerationJobTakesItsSlotAsAJob() {
        assertThatThrownBy(() -> work(WorkKind.GENERATION, "gen_1", "starter"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tryStart(job, now)");
    }
}
