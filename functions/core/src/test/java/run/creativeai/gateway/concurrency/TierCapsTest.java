package run.creativeai.gateway.concurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.dispatch.PollSchedule;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.plan.PlanCatalog;
import run.creativeai.gateway.plan.Tier;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.testing.InMemorySlotPool;
import run.creativeai.gateway.testing.Jobs;
import run.creativeai.gateway.testing.MutableClock;

/** Seed 000's caps on the standard tier as a whole: pro and free together, never enterprise, sharded. */
class TierCapsTest {
    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final InMemorySlotPool slots = new InMemorySlotPool();
    private final Map<JobKind, Duration> leases = TenantConcurrency.leases(ModelCatalog.defaults(), PollSchedule.standard());

    private TenantConcurrency concurrency(long video, long image, int shards) {
        return new TenantConcurrency(new InMemorySlotPool(), PlanCatalog.defaults(), leases,
                new TierCaps(slots, Map.of(JobKind.VIDEO, video, JobKind.IMAGE, image, JobKind.TRAINING, 20L), shards, leases));
    }

    private Job job(String tenant, Tier tier) {
        Job template = Jobs.queuedImage("sdxl", clock.instant());
        return Job.admitted(template.id(), new TenantId(tenant), new KeyId("key_cap01"), tier, tier.wireName(),
                template.request(), "sdxl", clock.instant());
    }

    @Test
    void allStandardTierTenantsTogetherRunNoMoreThanTheCapAndEnterpriseIsOutsideIt() {
        TenantConcurrency concurrency = concurrency(1, 3, 1);
        List<Job> running = new ArrayList<>();
        for (String tenant : List.of("pro-a", "free-b", "pro-c")) {
            Job job = job(tenant, tenant.startsWith("pro") ? Tier.PRO : Tier.FREE);
            assertThat(concurrency.tryStart(job, clock.instant())).as(tenant).isInstanceOf(SlotGrant.Granted.class);
            running.add(job);
        }
        SlotGrant fourth = concurrency.tryStart(job("free-d", Tier.FREE), clock.instant());
        assertThat(fourth).isInstanceOf(SlotGrant.Full.class);
        assertThat(((SlotGrant.Full) fourth).limitedBy()).isEqualTo(new SlotGrant.TierCapFull("image"));
        assertThat(concurrency.tryStart(job("big-e", Tier.ENTERPRISE), clock.instant()))
                .as("enterprise work is outside the cap").isInstanceOf(SlotGrant.Granted.class);
        assertThat(concurrency.tierCaps().running(JobKind.IMAGE, clock.instant())).isEqualTo(3);

        concurrency.release(running.get(0));
        concurrency.release(running.get(0));
        assertThat(concurrency.tierCaps().running(JobKind.IMAGE, clock.instant())).as("given back once").isEqualTo(2);
        assertThat(concurrency.tryStart(job("free-d", Tier.FREE), clock.instant())).isInstanceOf(SlotGrant.Granted.class);
    }

    @Test
    void aJobTheCapHoldsBackDoesNotKeepItsTenantsSlot() {
        TenantConcurrency concurrency = new TenantConcurrency(slots, PlanCatalog.defaults(), leases,
                new TierCaps(new InMemorySlotPool(), Map.of(JobKind.VIDEO, 1L, JobKind.IMAGE, 1L, JobKind.TRAINING, 1L), 1, leases));
        Job video = Jobs.queued(new run.creativeai.gateway.job.GenerationRequest(JobKind.VIDEO, "kling", "waves", 1,
                java.util.Optional.empty(), java.util.Optional.of(5), java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Optional.empty()), "kling", clock.instant());
        Job second = Jobs.queued(video.request(), "kling", clock.instant());
        assertThat(concurrency.tryStart(video, clock.instant())).isInstanceOf(SlotGrant.Granted.class);
        assertThat(concurrency.tryStart(second, clock.instant())).isInstanceOf(SlotGrant.Full.class);
        assertThat(concurrency.usage(second.tenantId(), clock.instant()).active())
                .as("only the running job holds a slot of its tenant").isEqualTo(1);
    }

    @Test
    void shardsSplitTheCapAndNeverAddUpToMore() {
        TierCaps caps = new TierCaps(slots, Map.of(JobKind.VIDEO, 10L, JobKind.IMAGE, 500L, JobKind.TRAINING, 20L), 4, leases);
        long sum = 0;
        for (int shard = 0; shard < 4; shard++) {
            sum += caps.capOf(JobKind.VIDEO, shard);
        }
        assertThat(sum).isEqualTo(10);
        assertThat(caps.capOf(JobKind.VIDEO, 0)).isEqualTo(3);
        assertThat(caps.capOf(JobKind.VIDEO, 3)).isEqualTo(2);
        int started = 0;
        TenantConcurrency concurrency = new TenantConcurrency(new InMemorySlotPool(), PlanCatalog.defaults(), leases, caps);
        for (int i = 0; i < 40; i++) {
            Job video = Jobs.queued(new run.creativeai.gateway.job.GenerationRequest(JobKind.VIDEO, "kling", "waves", 1,
                    java.util.Optional.empty(), java.util.Optional.of(5), java.util.Optional.empty(),
                    java.util.Optional.empty(), java.util.Optional.empty()), "kling", clock.instant());
            Job other = Job.admitted(video.id(), new TenantId("tenant-" + i), video.keyId(), Tier.PRO, "enterprise",
                    video.request(), "kling", clock.instant());
            if (concurrency.tryStart(other, clock.instant()) instanceof SlotGrant.Granted) {
                started++;
            }
        }
        assertThat(started).as("40 standard video jobs of 40 tenants, a cap of 10 over 4 shards").isLessThanOrEqualTo(10);
        assertThat(caps.running(JobKind.VIDEO, clock.instant())).isEqualTo(started);
    }

    @Test
    void theTiersTwentyTrainingsRunWhateverTheirIdsWhileImagesAndVideosAreSplitSixteenWays() {
        TierCaps caps = new TierCaps(slots, Map.of(JobKind.VIDEO, 100L, JobKind.IMAGE, 500L, JobKind.TRAINING, 20L), 16,
                leases);
        List<run.creativeai.gateway.media.UploadId> images = java.util.stream.IntStream.range(0, 4)
                .mapToObj(i -> new run.creativeai.gateway.media.UploadId("upl_0000000000000000000000000" + i)).toList();
        run.creativeai.gateway.job.GenerationRequest training = run.creativeai.gateway.job.GenerationRequest.training(
                "flux-lora", new run.creativeai.gateway.job.TrainingInput("flux", images, "sks", 1000,
                        java.util.Optional.empty()), java.util.Optional.empty(), java.util.Optional.empty(),
                run.creativeai.gateway.job.WebhookEventKind.DEFAULT);
        List<SlotGrant> grants = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            Job template = Jobs.queued(training, "flux-lora", clock.instant());
            grants.add(caps.take(Job.admitted(template.id(), new TenantId("trainer-" + i), template.keyId(), Tier.PRO,
                    "pro", template.request(), "flux-lora", clock.instant()), clock.instant()));
        }
        assertThat(grants.subList(0, 20)).as("one pool of 20: no training waits while a slot is free")
                .allMatch(SlotGrant.Granted.class::isInstance);
        assertThat(grants.get(20)).isEqualTo(new SlotGrant.Full(new SlotGrant.TierCapFull("training"),
                ((SlotGrant.Full) grants.get(20)).usage()));
        assertThat(caps.running(JobKind.TRAINING, clock.instant())).isEqualTo(20);
    }

    @Test
    void aShardCountTheCapsCannotSplitStopsStartUp() {
        assertThatThrownBy(() -> new TierCaps(slots, Map.of(JobKind.VIDEO, 3L, JobKind.IMAGE, 500L, JobKind.TRAINING, 20L), 4, leases))
                .hasMessageContaining("1 to 3 shards");
        assertThatThrownBy(() -> new TierCaps(slots, Map.of(JobKind.VIDEO, 0L, JobKind.IMAGE, 500L, JobKind.TRAINING, 20L), 1, leases))
                .hasMessageContaining("positive");
    }
}
