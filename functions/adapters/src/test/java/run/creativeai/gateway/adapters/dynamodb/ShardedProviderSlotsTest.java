package run.creativeai.gateway.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.adapters.AwsServices;
import run.creativeai.gateway.adapters.InstanceRace;
import run.creativeai.gateway.concurrency.AttemptSlots;
import run.creativeai.gateway.concurrency.PoolShards;
import run.creativeai.gateway.concurrency.ProviderCapacity;
import run.creativeai.gateway.dispatch.PollSchedule;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.model.Model;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.plan.Tier;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantTerms;
import run.creativeai.gateway.testing.Jobs;

/**
 * A provider's slots split over several DynamoDB items (at seed scale one item would take more write
 * units a second than a partition serves): instances racing on DynamoDB Local never get more than the
 * provider's capacity, every shard fills to exactly its part, and a tenant's dedicated slots, split
 * the same way, stay its own.
 */
@ExtendWith(AwsServices.class)
class ShardedProviderSlotsTest {
    private static final Instant NOW = Instant.parse("2026-12-05T09:00:00Z");
    private static final int CAPACITY = 100;
    private static final int SLOTS_PER_SHARD = 16;
    private static final Tier[] TIERS = {Tier.FREE, Tier.PRO, Tier.ENTERPRISE};

    private static AwsServices.Running aws;
    private static String table;
    private static Model sdxl;

    @BeforeAll
    static void setUp(AwsServices.Running running) {
        aws = running;
        table = aws.newTable(DynamoDbLimiter.PK);
        sdxl = ModelCatalog.defaults().find("sdxl").orElseThrow();
    }

    private static ProviderCapacity capacity(software.amazon.awssdk.services.dynamodb.DynamoDbClient client, String provider) {
        return ProviderCapacity.configured(new DynamoDbSlotPool(client, table), ModelCatalog.defaults(),
                Optional.of("{\"" + provider + "\":" + CAPACITY + "}"), 0.1, PollSchedule.standard(), SLOTS_PER_SHARD);
    }

    /** Jobs of the given tenant, at least {@code perShard} for every shard, so each shard is raced past its part. */
    private static List<Job> jobs(String tenant, Map<String, Integer> dedicated, PoolShards shards, int perShard) {
        int[] seen = new int[shards.count()];
        List<Job> jobs = new ArrayList<>();
        while (java.util.Arrays.stream(seen).min().orElseThrow() < perShard) {
            Job template = Jobs.queuedImage("sdxl", NOW);
            Tier tier = TIERS[jobs.size() % TIERS.length];
            jobs.add(Job.admitted(template.id(), new TenantId(tenant), new KeyId("key_shard1"), tier, tier.wireName(),
                    template.request(), "sdxl", NOW, run.creativeai.gateway.job.JobCost.free(),
                    new TenantTerms("{}", dedicated, 1)));
            seen[shards.of(template.id())]++;
        }
        return jobs;
    }

    @Test
    void instancesRacingForAShardedProvidersSlotsTakeExactlyItsCapacity() throws Exception {
        String provider = "sdxl";
        ProviderCapacity view = capacity(aws.newDynamoDb(), provider);
        PoolShards shards = view.shards(provider);
        assertThat(shards.count()).as("100 slots in pools of at most 16").isEqualTo(7);
        List<Job> jobs = jobs("racers-" + UUID.randomUUID(), Map.of(), shards, 20);
        ConcurrentLinkedQueue<Job> taken = new ConcurrentLinkedQueue<>();

        int granted = InstanceRace.run(aws, 8, jobs.size(), client -> {
            AttemptSlots slots = new AttemptSlots(capacity(client, provider));
            return i -> slots.take(jobs.get(i), 1, sdxl, NOW) instanceof AttemptSlots.Taken && taken.add(jobs.get(i));
        });

        assertThat(granted).as("jobs started on a provider of " + CAPACITY + " slots").isEqualTo(CAPACITY);
        assertThat(view.usage(provider, NOW).active()).as("slots held over every shard").isEqualTo(CAPACITY);
        DynamoDbSlotPool pool = new DynamoDbSlotPool(aws.newDynamoDb(), table);
        for (int shard = 0; shard < shards.count(); shard++) {
            assertThat(pool.usage(ProviderCapacity.pool(provider, shard), NOW).active()).as("shard " + shard)
                    .isEqualTo(shards.part(CAPACITY, shard));
        }
        AttemptSlots releasing = new AttemptSlots(view);
        for (Job job : taken) {
            // Claiming again is the same slot; its release gives it back.
            AttemptSlots.Room room = releasing.take(job, 1, sdxl, NOW);
            assertThat(room).isInstanceOf(AttemptSlots.Taken.class);
            assertThat(((AttemptSlots.Taken) room).slot().release()).as("given back once").isTrue();
        }
        assertThat(view.usage(provider, NOW).active()).as("every slot given back once").isZero();
    }

    @Test
    void aTenantsDedicatedSlotsSplitOverTheShardsStayItsOwnUnderRaces() throws Exception {
        String provider = "flux";
        TenantId acme = new TenantId("acme-" + UUID.randomUUID());
        ProviderCapacity view = capacity(aws.newDynamoDb(), provider);
        PoolShards shards = view.shards(provider);
        assertThat(view.dedicate(acme, provider, 30, NOW))
                .isEqualTo(new run.creativeai.gateway.concurrency.SlotPool.SetAside.Done(0, 30));
        Model flux = ModelCatalog.defaults().find("flux").orElseThrow();
        List<Job> others = jobs("others-" + UUID.randomUUID(), Map.of(), shards, 20);
        List<Job> own = jobs(acme.value(), Map.of(provider, 30), shards, 10);

        int othersGranted = InstanceRace.run(aws, 8, others.size(), client -> {
            AttemptSlots slots = new AttemptSlots(capacity(client, provider));
            return i -> slots.take(others.get(i), 1, flux, NOW) instanceof AttemptSlots.Taken;
        });
        int ownGranted = InstanceRace.run(aws, 8, own.size(), client -> {
            AttemptSlots slots = new AttemptSlots(capacity(client, provider));
            return i -> slots.take(own.get(i), 1, flux, NOW) instanceof AttemptSlots.Taken;
        });

        assertThat(othersGranted).as("other tenants take the shared slots only").isEqualTo(CAPACITY - 30);
        assertThat(ownGranted).as("the tenant's jobs take its 30 dedicated slots, the shared ones being full")
                .isEqualTo(30);
        assertThat(view.usage(provider, NOW).active()).as("the provider never gets more than its capacity")
                .isEqualTo(CAPACITY);
    }
}
