package run.creativeai.gateway.concurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.config.ConfigurationException;
import run.creativeai.gateway.dispatch.PollSchedule;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.plan.Tier;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.testing.InMemorySlotPool;
import run.creativeai.gateway.testing.Jobs;
import run.creativeai.gateway.testing.MutableClock;

/** Provider slots by tier: enterprise first, lower tiers never starved below their minimum share. */
class ProviderCapacityTest {
    private static final String VIDU = "vidu";

    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final InMemorySlotPool slots = new InMemorySlotPool();

    private ProviderCapacity capacity(int slotsOfVidu, double minimumShare) {
        return ProviderCapacity.configured(slots, ModelCatalog.defaults(), Optional.of("{\"vidu\":" + slotsOfVidu + "}"),
                minimumShare, PollSchedule.standard());
    }

    private Job job(Tier tier) {
        Job template = Jobs.queuedImage("sdxl", clock.instant());
        return Job.admitted(template.id(), new TenantId("tenant-" + tier.wireName()), new KeyId("key_tier1"), tier,
                tier.wireName(), template.request(), "sdxl", clock.instant());
    }

    private boolean granted(ProviderCapacity capacity, Job job) {
        return capacity.take(job, 1, VIDU, clock.instant()) instanceof SlotGrant.Granted;
    }

    private void finish(ProviderCapacity capacity, Job job) {
        assertThat(capacity.release(job.id(), job.tenantId(), 0, job.tier(), 1, VIDU)).isTrue();
    }

    @Test
    void aFreedSlotGoesToTheWaitingEnterpriseJobEvenWhenAFreeJobAsksFirst() {
        ProviderCapacity capacity = capacity(4, 0.25);
        List<Job> free = List.of(job(Tier.FREE), job(Tier.FREE), job(Tier.FREE), job(Tier.FREE));
        free.forEach(j -> assertThat(granted(capacity, j)).as("an idle provider takes any tier").isTrue());
        Job enterprise = job(Tier.ENTERPRISE);
        SlotGrant full = capacity.take(enterprise, 1, VIDU, clock.instant());
        assertThat(((SlotGrant.Full) full).limitedBy()).isEqualTo(new SlotGrant.PoolFull());
        capacity.awaitRoom(enterprise, List.of(VIDU), clock.instant());

        finish(capacity, free.get(0));
        SlotGrant held = capacity.take(job(Tier.FREE), 1, VIDU, clock.instant());
        assertThat(held).as("the free slot is kept for the enterprise job").isInstanceOf(SlotGrant.Full.class);
        assertThat(((SlotGrant.Full) held).limitedBy()).isEqualTo(new SlotGrant.KeptForHigherTiers());
        assertThat(granted(capacity, enterprise)).isTrue();
        assertThat(capacity.usage(VIDU, clock.instant()).active()).as("never more than the capacity").isEqualTo(4);
    }

    @Test
    void aLowerTierAlwaysKeepsItsMinimumShareWhateverWaitsAboveIt() {
        ProviderCapacity capacity = capacity(4, 0.25);
        List<Job> enterprise = List.of(job(Tier.ENTERPRISE), job(Tier.ENTERPRISE), job(Tier.ENTERPRISE),
                job(Tier.ENTERPRISE), job(Tier.ENTERPRISE));
        enterprise.subList(0, 4).forEach(j -> assertThat(granted(capacity, j)).isTrue());
        capacity.awaitRoom(enterprise.get(4), List.of(VIDU), clock.instant());

        finish(capacity, enterprise.get(0));
        assertThat(granted(capacity, job(Tier.FREE))).as("free holds none: it gets its one guaranteed slot").isTrue();
        finish(capacity, enterprise.get(1));
        assertThat(granted(capacity, job(Tier.FREE))).as("beyond its share, free waits for enterprise").isFalse();
        assertThat(granted(capacity, enterprise.get(4))).isTrue();
    }

    @Test
    void proYieldsOnlyToEnterpriseAndFreeToBoth() {
        ProviderCapacity capacity = capacity(3, 0);
        assertThat(granted(capacity, job(Tier.ENTERPRISE))).isTrue();
        assertThat(granted(capacity, job(Tier.ENTERPRISE))).isTrue();
        Job waitingPro = job(Tier.PRO);
        Job lastEnterprise = job(Tier.ENTERPRISE);
        assertThat(granted(capacity, lastEnterprise)).isTrue();
        assertThat(granted(capacity, waitingPro)).isFalse();
        capacity.awaitRoom(waitingPro, List.of(VIDU), clock.instant());
        finish(capacity, lastEnterprise);

        assertThat(granted(capacity, job(Tier.FREE))).as("free yields to the waiting pro job").isFalse();
        assertThat(granted(capacity, waitingPro)).isTrue();
    }

    @Test
    void withoutAMinimumShareLowerTiersWaitAsLongAsHigherTiersDo() {
        ProviderCapacity capacity = capacity(1, 0);
        Job enterprise = job(Tier.ENTERPRISE);
        Job holder = job(Tier.ENTERPRISE);
        assertThat(granted(capacity, holder)).isTrue();
        capacity.awaitRoom(enterprise, List.of(VIDU), clock.instant());
        finish(capacity, holder);
        assertThat(granted(capacity, job(Tier.FREE))).isFalse();
        assertThat(capacity.minimumSlots(50)).isZero();
    }

    @Test
    void aWaitingJobThatStopsAskingNoLongerHoldsOthersBackAndOneThatKeepsAskingDoes() {
        ProviderCapacity capacity = capacity(1, 0);
        Job asking = job(Tier.ENTERPRISE);
        Job gone = job(Tier.ENTERPRISE);
        capacity.awaitRoom(gone, List.of(VIDU), clock.instant());
        capacity.awaitRoom(asking, List.of(VIDU), clock.instant());
        clock.advance(Duration.ofSeconds(6));
        capacity.awaitRoom(asking, List.of(VIDU), clock.instant());
        clock.advance(Duration.ofSeconds(6));
        assertThat(granted(capacity, job(Tier.FREE))).as("one enterprise job still waits: free yields").isFalse();
        clock.advance(Duration.ofSeconds(5));
        assertThat(granted(capacity, job(Tier.FREE))).as("both registrations lapsed").isTrue();
    }

    @Test
    void aJobThatKeepsAskingHoldsBackOneSlotHoweverOftenItAsks() {
        ProviderCapacity capacity = capacity(3, 0);
        List<Job> free = List.of(job(Tier.FREE), job(Tier.FREE), job(Tier.FREE));
        free.forEach(j -> assertThat(granted(capacity, j)).isTrue());
        Job enterprise = job(Tier.ENTERPRISE);
        for (int asked = 0; asked < 8; asked++) {
            assertThat(granted(capacity, enterprise)).isFalse();
            capacity.awaitRoom(enterprise, List.of(VIDU), clock.instant());
            clock.advance(Duration.ofSeconds(1));
        }
        finish(capacity, free.get(0));
        finish(capacity, free.get(1));

        assertThat(granted(capacity, job(Tier.FREE))).as("two slots free, one kept for the one waiting job").isTrue();
        assertThat(granted(capacity, job(Tier.FREE))).as("the last free slot is the enterprise job's").isFalse();
        assertThat(granted(capacity, enterprise)).isTrue();
    }

    @Test
    void twoDeliveriesOfOneWaitingJobRegisteringAtOnceHoldBackOneSlotNotTwo() {
        ProviderCapacity capacity = capacity(3, 0);
        List<Job> free = List.of(job(Tier.FREE), job(Tier.FREE), job(Tier.FREE));
        free.forEach(j -> assertThat(granted(capacity, j)).isTrue());
        Job enterprise = job(Tier.ENTERPRISE);
        // The second delivery registers between the first one's count and its tally.
        slots.afterNextCount(() -> capacity.awaitRoom(enterprise, List.of(VIDU), clock.instant()));
        capacity.awaitRoom(enterprise, List.of(VIDU), clock.instant());
        finish(capacity, free.get(0));
        finish(capacity, free.get(1));

        assertThat(granted(capacity, job(Tier.FREE))).as("one of the two free slots is kept, the other taken").isTrue();
        assertThat(granted(capacity, job(Tier.FREE))).isFalse();
    }

    @Test
    void aDeliveryThatRegistersWhileAnotherFindsRoomTakesItsCountBack() {
        ProviderCapacity capacity = capacity(1, 0);
        Job enterprise = job(Tier.ENTERPRISE);
        capacity.awaitRoom(enterprise, List.of(VIDU), clock.instant());
        clock.advance(Duration.ofSeconds(6));
        // One delivery moves the registration; between its count and its tally, another finds room.
        slots.afterNextCount(() -> capacity.roomFound(enterprise, clock.instant()));
        capacity.awaitRoom(enterprise, List.of(VIDU), clock.instant());
        clock.advance(Duration.ofSeconds(5));

        assertThat(granted(capacity, job(Tier.FREE)))
                .as("the job that found room holds nobody back, also once its first registration has ended").isTrue();
    }

    @Test
    void aJobThatFindsRoomStopsHoldingLowerTiersBack() {
        ProviderCapacity capacity = capacity(1, 0);
        Job enterprise = job(Tier.ENTERPRISE);
        capacity.awaitRoom(enterprise, List.of(VIDU), clock.instant());
        clock.advance(Duration.ofSeconds(1));
        capacity.roomFound(enterprise, clock.instant());
        assertThat(granted(capacity, job(Tier.FREE))).isTrue();
    }

    @Test
    void takingTheSameAttemptsSlotAgainNeverTakesASecond() {
        ProviderCapacity capacity = capacity(2, 0.1);
        Job job = job(Tier.FREE);
        assertThat(granted(capacity, job)).isTrue();
        assertThat(granted(capacity, job)).isTrue();
        assertThat(capacity.usage(VIDU, clock.instant()).active()).isEqualTo(1);
        assertThat(capacity.release(job.id(), job.tenantId(), 0, job.tier(), 1, VIDU)).isTrue();
        assertThat(capacity.release(job.id(), job.tenantId(), 0, job.tier(), 1, VIDU)).as("freed exactly once").isFalse();
    }

    @Test
    void theMinimumShareIsAtLeastOneSlotButTheLowerTiersNeverHoldTheWholeProvider() {
        ProviderCapacity capacity = capacity(2, 0.1);
        assertThat(capacity.minimumSlots(3)).isEqualTo(1);
        assertThat(capacity.minimumSlots(50)).isEqualTo(5);
        assertThat(capacity.minimumSlots(2)).as("one slot each for pro and free would leave enterprise none").isZero();
        assertThat(capacity(4, 0.9).minimumSlots(4)).as("pro and free together leave enterprise a slot").isEqualTo(1);
    }

    @Test
    void enterpriseAsksAgainSoonestAndLowerTiersAtTheirKindsPace() {
        ProviderCapacity capacity = capacity(2, 0.1);
        assertThat(capacity.retryDelay(job(Tier.ENTERPRISE))).isEqualTo(Duration.ofSeconds(1));
        assertThat(capacity.retryDelay(job(Tier.FREE))).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void capacitiesComeFromTheCatalogueUnlessTheTemplateOverridesThemAndBadValuesStopStartUp() {
        ProviderCapacity defaults = ProviderCapacity.configured(slots, ModelCatalog.defaults(), Optional.empty(), 0.1,
                PollSchedule.standard());
        assertThat(defaults.capacity("seedream")).isEqualTo(ModelCatalog.defaults().capacities().get("seedream"));
        assertThat(capacity(3, 0.1).capacity(VIDU)).isEqualTo(3);
        for (Map.Entry<String, String> bad : Map.of(
                "{\"vidu\":0}", "provider capacity of vidu must be a positive integer",
                "{\"midjourney\":5}", "unknown provider midjourney",
                "[1]", "must be a JSON object",
                "{vidu", "not valid JSON").entrySet()) {
            assertThatThrownBy(() -> ProviderCapacity.configured(slots, ModelCatalog.defaults(), Optional.of(bad.getKey()),
                    0.1, PollSchedule.standard())).isInstanceOf(ConfigurationException.class).hasMessageContaining(bad.getValue());
        }
        assertThatThrownBy(() -> capacity(3, 1.5)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("minimum share");
    }

    // ---- slots dedicated to one tenant

    private Job jobOf(String tenant, Tier tier, java.util.Map<String, Integer> dedicated) {
        Job template = Jobs.queuedImage("sdxl", clock.instant());
        return Job.admitted(template.id(), new TenantId(tenant), new KeyId("key_ded01"), tier, tier.wireName(),
                template.request(), "sdxl", clock.instant(), run.creativeai.gateway.job.JobCost.free(),
                new run.creativeai.gateway.tenant.TenantTerms("{}", dedicated, 1));
    }

    @Test
    void aTenantsDedicatedSlotsServeItsJobsFirstAndNoOtherTenantTakesThemEvenWhenIdle() {
        ProviderCapacity capacity = capacity(4, 0.25);
        assertThat(capacity.dedicate(new TenantId("acme"), VIDU, 2, clock.instant())).isEqualTo(new SlotPool.SetAside.Done(0, 2));
        Job otherA = jobOf("other", Tier.ENTERPRISE, java.util.Map.of());
        Job otherB = jobOf("other", Tier.ENTERPRISE, java.util.Map.of());
        assertThat(granted(capacity, otherA)).isTrue();
        assertThat(granted(capacity, otherB)).isTrue();
        assertThat(granted(capacity, jobOf("other", Tier.ENTERPRISE, java.util.Map.of())))
                .as("even enterprise work of another tenant leaves the dedicated slots alone").isFalse();

        java.util.Map<String, Integer> dedicated = java.util.Map.of(VIDU, 2);
        Job acme1 = jobOf("acme", Tier.FREE, dedicated);
        Job acme2 = jobOf("acme", Tier.FREE, dedicated);
        assertThat(granted(capacity, acme1)).as("its own slot, while the provider's others are full").isTrue();
        assertThat(granted(capacity, acme2)).isTrue();
        assertThat(granted(capacity, jobOf("acme", Tier.FREE, dedicated))).as("both its slots in use, the rest full")
                .isFalse();
        assertThat(slots.usage(ProviderCapacity.pool(VIDU), clock.instant()).active()).as("never more than 4").isEqualTo(4);

        assertThat(capacity.release(acme1.id(), acme1.tenantId(), 2, acme1.tier(), 1, VIDU)).isTrue();
        assertThat(capacity.release(acme1.id(), acme1.tenantId(), 2, acme1.tier(), 1, VIDU)).as("once").isFalse();
        assertThat(capacity.release(otherA.id(), otherA.tenantId(), 0, otherA.tier(), 1, VIDU)).isTrue();
        Job acme3 = jobOf("acme", Tier.FREE, dedicated);
        assertThat(granted(capacity, acme3)).isTrue();
        Job acme4 = jobOf("acme", Tier.FREE, dedicated);
        assertThat(granted(capacity, acme4)).as("beyond its own, a shared slot by its tier's priority").isTrue();
        assertThat(capacity.release(acme4.id(), acme4.tenantId(), 2, acme4.tier(), 1, VIDU))
                .as("given back to the pool it came from").isTrue();
    }

    /** A job of {@code tier} whose id falls in {@code shard} of {@code shards}. */
    private Job jobIn(PoolShards shards, int shard, Tier tier) {
        Job job;
        do {
            job = job(tier);
        } while (shards.of(job.id()) != shard);
        return job;
    }

    @Test
    void aShardedProviderKeepsEachShardsPartAndItsPriorityWithinTheShard() {
        ProviderCapacity capacity = ProviderCapacity.configured(slots, ModelCatalog.defaults(),
                Optional.of("{\"vidu\":8}"), 0.0, PollSchedule.standard(), 4);
        PoolShards shards = capacity.shards(VIDU);
        assertThat(shards.count()).as("8 slots in pools of at most 4").isEqualTo(2);
        List<Job> free = List.of(jobIn(shards, 0, Tier.FREE), jobIn(shards, 0, Tier.FREE), jobIn(shards, 0, Tier.FREE),
                jobIn(shards, 0, Tier.FREE));
        free.forEach(j -> assertThat(granted(capacity, j)).isTrue());
        assertThat(granted(capacity, jobIn(shards, 0, Tier.ENTERPRISE))).as("the first shard holds its 4").isFalse();
        assertThat(granted(capacity, jobIn(shards, 1, Tier.FREE))).as("the second shard has its own 4").isTrue();

        Job enterprise = jobIn(shards, 0, Tier.ENTERPRISE);
        assertThat(granted(capacity, enterprise)).isFalse();
        capacity.awaitRoom(enterprise, List.of(VIDU), clock.instant());
        finish(capacity, free.get(0));
        assertThat(granted(capacity, jobIn(shards, 0, Tier.FREE))).as("the freed slot is kept for the waiting enterprise job")
                .isFalse();
        assertThat(granted(capacity, enterprise)).isTrue();
        assertThat(capacity.usage(VIDU, clock.instant()).active()).as("over both shards, never more than 8").isEqualTo(5);
    }
}
