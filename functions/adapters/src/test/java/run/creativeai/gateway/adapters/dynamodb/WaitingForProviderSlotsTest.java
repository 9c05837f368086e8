package run.creativeai.gateway.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
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
import run.creativeai.gateway.testing.Jobs;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The jobs waiting for a provider, counted instead of named, on DynamoDB Local with instances racing:
 * each waiting job counts once however often and however concurrently it registers, the count's item
 * stays a few buckets whatever waits, a freed slot goes to the waiting higher-tier job and never past
 * the provider's capacity, and a registration nobody renews stops counting by itself.
 */
@ExtendWith(AwsServices.class)
class WaitingForProviderSlotsTest {
    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
    private static final int CAPACITY = 100;
    private static final int SLOTS_PER_SHARD = 16;

    private static AwsServices.Running aws;
    private static String table;

    @BeforeAll
    static void setUp(AwsServices.Running running) {
        aws = running;
        table = aws.newTable(DynamoDbLimiter.PK);
    }

    private static ProviderCapacity capacity(DynamoDbClient client, String provider) {
        return ProviderCapacity.configured(new DynamoDbSlotPool(client, table), ModelCatalog.defaults(),
                Optional.of("{\"" + provider + "\":" + CAPACITY + "}"), 0.0, PollSchedule.standard(), SLOTS_PER_SHARD);
    }

    private static Job job(Tier tier, String model) {
        Job template = Jobs.queuedImage(model, NOW);
        return Job.admitted(template.id(), new TenantId("tenant-" + UUID.randomUUID()), new KeyId("key_wait01"), tier,
                tier.wireName(), template.request(), model, NOW);
    }

    /** {@code perShard} jobs of {@code tier} in every shard of {@code shards}. */
    private static List<Job> jobsPerShard(PoolShards shards, int perShard, Tier tier, String model) {
        int[] seen = new int[shards.count()];
        List<Job> jobs = new ArrayList<>();
        while (java.util.Arrays.stream(seen).min().orElseThrow() < perShard) {
            Job job = job(tier, model);
            if (seen[shards.of(job.id())]++ < perShard) {
                jobs.add(job);
            }
        }
        return jobs;
    }

    /** {@code count} jobs of {@code tier} in shard {@code shard} of {@code shards}. */
    private static List<Job> jobsInShard(PoolShards shards, int shard, int count, Tier tier, String model) {
        List<Job> jobs = new ArrayList<>();
        while (jobs.size() < count) {
            Job job = job(tier, model);
            if (shards.of(job.id()) == shard) {
                jobs.add(job);
            }
        }
        return jobs;
    }

    /** The waiting jobs of a tier counted for {@code provider}, over its shards. */
    private static long waiting(String provider, Tier tier, PoolShards shards, Instant at) {
        DynamoDbSlotPool pool = new DynamoDbSlotPool(aws.newDynamoDb(), table);
        long total = 0;
        for (int shard = 0; shard < shards.count(); shard++) {
            total += pool.counted(ProviderCapacity.waitingPool(provider, shard), at).active(tier.wireName());
        }
        return total;
    }

    @Test
    void eachWaitingJobCountsOnceHoweverOftenAndConcurrentlyItRegistersAndTheItemStaysAFewBuckets() throws Exception {
        String provider = "seedream";
        ProviderCapacity view = capacity(aws.newDynamoDb(), provider);
        PoolShards shards = view.shards(provider);
        List<Job> waiting = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            waiting.add(job(Tier.ENTERPRISE, "seedream"));
        }
        int deliveries = 3;

        // Every job registered by three instances at once (three deliveries of its message), then again 6 s later.
        for (Instant at : List.of(NOW, NOW.plusSeconds(6))) {
            InstanceRace.run(aws, 8, waiting.size() * deliveries, client -> {
                ProviderCapacity instance = capacity(client, provider);
                return i -> {
                    instance.awaitRoom(waiting.get(i / deliveries), Set.of(provider), at);
                    return true;
                };
            });
            assertThat(waiting(provider, Tier.ENTERPRISE, shards, at)).as("jobs waiting, each counted once")
                    .isEqualTo(waiting.size());
        }
        assertThat(waiting(provider, Tier.ENTERPRISE, shards, NOW.plusSeconds(12)))
                .as("after the first registrations' bucket ended, the renewed ones still count")
                .isEqualTo(waiting.size());
        for (int shard = 0; shard < shards.count(); shard++) {
            String key = "slots#" + ProviderCapacity.waitingPool(provider, shard);
            Map<String, AttributeValue> item = aws.newDynamoDb().getItem(b -> b.tableName(table)
                    .key(Map.of(DynamoDbLimiter.PK, AttributeValue.fromS(key))).consistentRead(true)).item();
            assertThat(item.keySet()).as("the count's item: a bucket for each registration end, not an attribute per job")
                    .hasSizeLessThanOrEqualTo(4);
        }

        InstanceRace.run(aws, 8, waiting.size() * deliveries, client -> {
            ProviderCapacity instance = capacity(client, provider);
            return i -> {
                instance.roomFound(waiting.get(i / deliveries), NOW.plusSeconds(7));
                return true;
            };
        });
        assertThat(waiting(provider, Tier.ENTERPRISE, shards, NOW.plusSeconds(7)))
                .as("every job that found room took itself out, once").isZero();
    }

    @Test
    void racingInstancesGiveFreedSlotsToTheWaitingEnterpriseJobsNotToFreeJobsAndNeverExceedTheCapacity() throws Exception {
        String provider = "sdxl";
        Model sdxl = ModelCatalog.defaults().find("sdxl").orElseThrow();
        ProviderCapacity view = capacity(aws.newDynamoDb(), provider);
        PoolShards shards = view.shards(provider);
        assertThat(shards.count()).as("100 slots in pools of at most 16").isEqualTo(7);
        AttemptSlots filling = new AttemptSlots(view);
        List<AttemptSlots.AttemptSlot> twoOfEachShard = new ArrayList<>();
        for (int shard = 0; shard < shards.count(); shard++) {
            List<Job> free = jobsInShard(shards, shard, (int) shards.part(CAPACITY, shard), Tier.FREE, "sdxl");
            for (Job job : free) {
                AttemptSlots.Room room = filling.take(job, 1, sdxl, NOW);
                assertThat(room).isInstanceOf(AttemptSlots.Taken.class);
                if (twoOfEachShard.size() < 2 * (shard + 1)) {
                    twoOfEachShard.add(((AttemptSlots.Taken) room).slot());
                }
            }
        }
        assertThat(view.usage(provider, NOW).active()).as("every slot held by free work").isEqualTo(CAPACITY);
        List<Job> enterprise = jobsPerShard(shards, 3, Tier.ENTERPRISE, "sdxl");
        InstanceRace.run(aws, 8, enterprise.size(), client -> {
            ProviderCapacity instance = capacity(client, provider);
            AttemptSlots slots = new AttemptSlots(instance);
            return i -> {
                assertThat(slots.take(enterprise.get(i), 1, sdxl, NOW)).isInstanceOf(AttemptSlots.Full.class);
                instance.awaitRoom(enterprise.get(i), Set.of(provider), NOW);
                return true;
            };
        });
        twoOfEachShard.forEach(slot -> assertThat(slot.release()).as("two slots of every shard end").isTrue());
        Instant later = NOW.plusSeconds(3);
        List<Job> askers = new ArrayList<>(enterprise);
        askers.addAll(jobsPerShard(shards, 5, Tier.FREE, "sdxl"));
        Collections.shuffle(askers, new Random(14));
        ConcurrentLinkedQueue<Job> started = new ConcurrentLinkedQueue<>();

        InstanceRace.run(aws, 8, askers.size(), client -> {
            ProviderCapacity instance = capacity(client, provider);
            AttemptSlots slots = new AttemptSlots(instance);
            return i -> {
                Job asking = askers.get(i);
                if (slots.take(asking, 1, sdxl, later) instanceof AttemptSlots.Taken) {
                    instance.roomFound(asking, later);
                    return started.add(asking);
                }
                return false;
            };
        });

        assertThat(started).as("the 14 freed slots went to waiting enterprise jobs, none to a free job that asked")
                .hasSize(2 * shards.count()).allMatch(j -> j.tier() == Tier.ENTERPRISE);
        assertThat(view.usage(provider, later).active()).as("never more than the provider's slots").isEqualTo(CAPACITY);
        assertThat(waiting(provider, Tier.ENTERPRISE, shards, later)).as("the enterprise jobs still waiting")
                .isEqualTo(enterprise.size() - started.size());
    }

    @Test
    void aRegistrationNobodyRenewsStopsHoldingLowerTiersBackWhenItsBucketEnds() {
        String provider = "flux";
        Model flux = ModelCatalog.defaults().find("flux").orElseThrow();
        ProviderCapacity capacity = ProviderCapacity.configured(new DynamoDbSlotPool(aws.newDynamoDb(), table),
                ModelCatalog.defaults(), Optional.of("{\"flux\":1}"), 0.0, PollSchedule.standard(), SLOTS_PER_SHARD);
        AttemptSlots slots = new AttemptSlots(capacity);
        Job holder = job(Tier.PRO, "flux");
        AttemptSlots.AttemptSlot held = ((AttemptSlots.Taken) slots.take(holder, 1, flux, NOW)).slot();
        Job enterprise = job(Tier.ENTERPRISE, "flux");
        assertThat(slots.take(enterprise, 1, flux, NOW)).isInstanceOf(AttemptSlots.Full.class);
        // Its worker dies right after registering: nobody renews it, nobody takes it out.
        capacity.awaitRoom(enterprise, Set.of(provider), NOW);
        held.release();

        Instant stillCounted = NOW.plusSeconds(9);
        assertThat(slots.take(job(Tier.FREE, "flux"), 1, flux, stillCounted)).as("the slot is kept for the enterprise job")
                .isInstanceOf(AttemptSlots.Full.class);
        Instant lapsed = NOW.plusSeconds(10);
        assertThat(slots.take(job(Tier.FREE, "flux"), 1, flux, lapsed))
                .as("the registration's 10 s are over: the free job is not held back by a job nobody runs")
                .isInstanceOf(AttemptSlots.Taken.class);
        assertThat(capacity.usage(provider, lapsed).active()).isEqualTo(1);
    }

    @Test
    void bucketsThatEndedLeaveTheItemSoItDoesNotGrowWithTime() {
        String provider = "vidu";
        ProviderCapacity capacity = ProviderCapacity.configured(new DynamoDbSlotPool(aws.newDynamoDb(), table),
                ModelCatalog.defaults(), Optional.of("{\"vidu\":1}"), 0.0, PollSchedule.standard(), SLOTS_PER_SHARD);
        int registrations = 40;
        for (int i = 0; i < registrations; i++) {
            capacity.awaitRoom(job(Tier.ENTERPRISE, "vidu"), Set.of(provider), NOW.plusSeconds(6L * i));
        }
        Map<String, AttributeValue> item = aws.newDynamoDb().getItem(b -> b.tableName(table).key(Map.of(DynamoDbLimiter.PK,
                AttributeValue.fromS("slots#" + ProviderCapacity.waitingPool(provider)))).consistentRead(true)).item();
        assertThat(item.keySet().stream().filter(k -> k.startsWith("c#")).count())
                .as("buckets left of " + registrations + " registrations with different ends, 4 minutes apart at most")
                .isLessThanOrEqualTo(12);
        assertThat(waiting(provider, Tier.ENTERPRISE, new PoolShards(1), NOW.plusSeconds(6L * (registrations - 1))))
                .as("the last two registrations still count").isEqualTo(2);
    }
}
