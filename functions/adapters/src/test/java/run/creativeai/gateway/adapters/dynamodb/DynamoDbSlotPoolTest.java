package run.creativeai.gateway.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.adapters.AwsServices;
import run.creativeai.gateway.adapters.InstanceRace;
import run.creativeai.gateway.concurrency.SlotClaim;
import run.creativeai.gateway.concurrency.SlotGrant;
import run.creativeai.gateway.concurrency.TenantConcurrency;
import run.creativeai.gateway.dispatch.PollSchedule;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.plan.PlanCatalog;
import run.creativeai.gateway.plan.WorkKind;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantTerms;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Tenant concurrency slots in DynamoDB Local: caps, re-entry, exactly-once release, lease expiry, racing. */
@ExtendWith(AwsServices.class)
class DynamoDbSlotPoolTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final Instant LEASE = NOW.plus(Duration.ofMinutes(17));

    private static AwsServices.Running aws;
    private static String table;
    private static DynamoDbSlotPool slots;
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void setUp(AwsServices.Running running) {
        aws = running;
        table = aws.newTable(DynamoDbLimiter.PK);
        dynamo = aws.newDynamoDb();
        slots = new DynamoDbSlotPool(dynamo, table);
    }

    private static String pool() {
        return "tenant#" + UUID.randomUUID();
    }

    private static SlotClaim claim(String pool, String holder, Optional<String> holderClass, Instant until) {
        return new SlotClaim(pool, holder, holderClass, 2, Map.of("video", 1L), until);
    }

    @Test
    void thePoolGrantsItsCapacityAndAVideoOnlyItsClassCap() {
        String pool = pool();
        assertThat(slots.acquire(claim(pool, "gen_v1", Optional.of("video"), LEASE), NOW))
                .isInstanceOf(SlotGrant.Granted.class);
        SlotGrant secondVideo = slots.acquire(claim(pool, "gen_v2", Optional.of("video"), LEASE), NOW);
        assertThat(secondVideo).isInstanceOf(SlotGrant.Full.class);
        assertThat(((SlotGrant.Full) secondVideo).limitedBy()).isEqualTo(new SlotGrant.ClassFull("video"));
        SlotGrant image = slots.acquire(claim(pool, "gen_i1", Optional.empty(), LEASE), NOW);
        assertThat(image).isInstanceOf(SlotGrant.Granted.class);
        assertThat(((SlotGrant.Granted) image).usage().active()).as("slots in use after the grant").isEqualTo(2);
        SlotGrant third = slots.acquire(claim(pool, "gen_i2", Optional.empty(), LEASE), NOW);
        assertThat(((SlotGrant.Full) third).limitedBy()).isEqualTo(new SlotGrant.PoolFull());
        assertThat(slots.usage(pool, NOW).active()).isEqualTo(2);
        assertThat(slots.usage(pool, NOW).active("video")).isEqualTo(1);
    }

    @Test
    void aTenantsThirdTrainingWaitsWhileTwoRunAndAReleaseLetsItInWhileWorkflowsCountApart() {
        TenantConcurrency concurrency = TenantConcurrency.standard(slots, PlanCatalog.defaults(),
                ModelCatalog.defaults(), PollSchedule.standard(),
                Map.of(JobKind.VIDEO, 100L, JobKind.IMAGE, 500L, JobKind.TRAINING, 20L), 1);
        TenantId tenant = new TenantId("kinds-" + UUID.randomUUID().toString().substring(0, 8));
        List<TenantConcurrency.Work> trainings = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            trainings.add(new TenantConcurrency.Work(WorkKind.TRAINING, "trn_" + i, tenant, "starter", TenantTerms.none()));
        }
        TenantConcurrency.Work workflow = new TenantConcurrency.Work(WorkKind.WORKFLOW, "wf_1", tenant, "starter",
                TenantTerms.none());
        assertThat(concurrency.tryStart(trainings.get(0), NOW)).isInstanceOf(SlotGrant.Granted.class);
        assertThat(concurrency.tryStart(trainings.get(1), NOW)).isInstanceOf(SlotGrant.Granted.class);
        assertThat(concurrency.tryStart(workflow, NOW)).as("a workflow is not a training").isInstanceOf(SlotGrant.Granted.class);
        SlotGrant third = concurrency.tryStart(trainings.get(2), NOW);
        assertThat(third).as("queued, not refused").isInstanceOf(SlotGrant.Full.class);
        assertThat(((SlotGrant.Full) third).limitedBy()).isEqualTo(new SlotGrant.ClassFull("training"));
        assertThat(concurrency.release(trainings.get(0))).isTrue();
        assertThat(concurrency.release(trainings.get(0))).as("given back once").isFalse();
        assertThat(concurrency.tryStart(trainings.get(2), NOW)).isInstanceOf(SlotGrant.Granted.class);
        TenantConcurrency.Running running = concurrency.running(tenant, NOW);
        assertThat(running.active(WorkKind.TRAINING)).isEqualTo(2);
        assertThat(running.active(WorkKind.WORKFLOW)).isEqualTo(1);
        assertThat(running.active(WorkKind.GENERATION)).isZero();
    }

    @Test
    void claimingAgainNeverTakesASecondSlotAndReleaseFreesExactlyOnce() {
        String pool = pool();
        slots.acquire(claim(pool, "gen_a", Optional.of("video"), LEASE), NOW);
        assertThat(slots.acquire(claim(pool, "gen_a", Optional.of("video"), LEASE), NOW))
                .isInstanceOf(SlotGrant.Granted.class);
        assertThat(slots.usage(pool, NOW).active()).isEqualTo(1);
        assertThat(slots.release(pool, "gen_a", Optional.of("video"))).isTrue();
        assertThat(slots.release(pool, "gen_a", Optional.of("video"))).as("a second release").isFalse();
        assertThat(slots.release(pool, "gen_a", Optional.empty())).as("a third, with another class").isFalse();
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of(DynamoDbLimiter.PK, AttributeValue.fromS(DynamoDbSlotPool.PREFIX + pool)))).item();
        assertThat(item.get("n").n()).isEqualTo("0");
        assertThat(item.get("n#video").n()).isEqualTo("0");
        assertThat(Long.parseLong(item.get(DynamoDbLimiter.EXPIRES_AT).n())).as("the pool item expires by TTL")
                .isEqualTo(NOW.plus(Duration.ofDays(1)).getEpochSecond());
    }

    @Test
    void aReleaseWithTheWrongClassHintStillFreesTheSlotAndItsClassCount() {
        String pool = pool();
        slots.acquire(claim(pool, "gen_b", Optional.of("video"), LEASE), NOW);
        assertThat(slots.release(pool, "gen_b", Optional.empty())).isTrue();
        assertThat(slots.acquire(claim(pool, "gen_c", Optional.of("video"), LEASE), NOW))
                .isInstanceOf(SlotGrant.Granted.class);
    }

    @Test
    void anExpiredLeaseIsTakenOverByTheNextClaimAndItsLateReleaseFreesNothing() {
        String pool = pool();
        Instant shortLease = NOW.plus(Duration.ofMinutes(1));
        slots.acquire(claim(pool, "gen_dead1", Optional.of("video"), shortLease), NOW);
        slots.acquire(claim(pool, "gen_dead2", Optional.empty(), shortLease), NOW);
        Instant later = NOW.plus(Duration.ofMinutes(2));
        assertThat(slots.usage(pool, later).active()).isZero();
        assertThat(slots.acquire(claim(pool, "gen_new", Optional.of("video"), later.plus(Duration.ofMinutes(10))), later))
                .isInstanceOf(SlotGrant.Granted.class);
        assertThat(slots.release(pool, "gen_dead1", Optional.of("video"))).as("the dead worker's late release")
                .isFalse();
        assertThat(slots.acquire(claim(pool, "gen_new2", Optional.empty(), later.plus(Duration.ofMinutes(10))), later))
                .isInstanceOf(SlotGrant.Granted.class);
        assertThat(slots.acquire(claim(pool, "gen_new3", Optional.empty(), later.plus(Duration.ofMinutes(10))), later))
                .as("the pool is full again with two live slots").isInstanceOf(SlotGrant.Full.class);
    }

    @Test
    void aHolderThatKeepsClaimingKeepsItsSlotPastItsFirstLease() {
        String pool = pool();
        Instant tenSeconds = NOW.plusSeconds(10);
        slots.acquire(claim(pool, "gen_waiting", Optional.empty(), tenSeconds), NOW);
        Instant soon = NOW.plusSeconds(2);
        slots.acquire(claim(pool, "gen_waiting", Optional.empty(), soon.plusSeconds(10)), soon);
        assertThat(holderValue(pool, "gen_waiting")).as("most of the lease was left: nothing written")
                .endsWith("|" + tenSeconds.getEpochSecond());
        Instant later = NOW.plusSeconds(7);
        slots.acquire(claim(pool, "gen_waiting", Optional.empty(), later.plusSeconds(10)), later);
        assertThat(slots.usage(pool, NOW.plusSeconds(15)).active()).as("renewed past its first lease").isEqualTo(1);
        Instant afterExpiry = NOW.plusSeconds(30);
        assertThat(slots.acquire(claim(pool, "gen_waiting", Optional.empty(), afterExpiry.plusSeconds(10)), afterExpiry))
                .as("an expired slot nobody took over is kept").isInstanceOf(SlotGrant.Granted.class);
        assertThat(slots.usage(pool, afterExpiry).active()).isEqualTo(1);
        assertThat(slots.release(pool, "gen_waiting", Optional.empty())).isTrue();
    }

    private static String holderValue(String pool, String holder) {
        return dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(DynamoDbLimiter.PK, AttributeValue.fromS(DynamoDbSlotPool.PREFIX + pool)))).item()
                .get("h#" + holder).s();
    }

    @Test
    void fiveHundredClaimsRacingFromSixteenInstancesTakeExactlyTheCapacity() throws Exception {
        String pool = pool();
        int total = InstanceRace.run(aws, 16, 500, client -> {
            DynamoDbSlotPool ownPool = new DynamoDbSlotPool(client, table);
            return i -> ownPool.acquire(new SlotClaim(pool, "gen_" + i, Optional.empty(), 25, Map.of(), LEASE), NOW)
                    instanceof SlotGrant.Granted;
        });
        assertThat(total).isEqualTo(25);
        assertThat(slots.usage(pool, NOW).active()).isEqualTo(25);
    }

    // ---- slots set aside for one owner's own pool (a tenant's dedicated capacity)

    private static SlotClaim shared(String pool, String holder) {
        return new SlotClaim(pool, holder, Optional.of("pro"), 4, Map.of(), LEASE);
    }

    @Test
    void slotsSetAsideAreTakenOnlyThroughTheOwnersPoolEvenWhileIdle() {
        String pool = pool();
        String own = pool + "#tenant#acme";
        assertThat(slots.setAside(pool, 4, "acme", own, 2)).isEqualTo(new run.creativeai.gateway.concurrency.SlotPool.SetAside.Done(0, 2));
        assertThat(slots.acquire(shared(pool, "other#1"), NOW)).isInstanceOf(SlotGrant.Granted.class);
        assertThat(slots.acquire(shared(pool, "other#2"), NOW)).isInstanceOf(SlotGrant.Granted.class);
        SlotGrant third = slots.acquire(shared(pool, "other#3"), NOW);
        assertThat(third).as("two of four slots are set aside, and idle").isInstanceOf(SlotGrant.Full.class);
        assertThat(((SlotGrant.Full) third).limitedBy()).isEqualTo(new SlotGrant.PoolFull());
        assertThat(slots.usage(pool, NOW).active(run.creativeai.gateway.concurrency.SlotPool.SET_ASIDE)).isEqualTo(2);

        assertThat(slots.acquireSetAside(own, "acme#1", LEASE, NOW)).isInstanceOf(SlotGrant.Granted.class);
        assertThat(slots.acquireSetAside(own, "acme#2", LEASE, NOW)).isInstanceOf(SlotGrant.Granted.class);
        assertThat(slots.acquireSetAside(own, "acme#3", LEASE, NOW)).as("the owner's own two are taken")
                .isInstanceOf(SlotGrant.Full.class);
        assertThat(slots.release(own, "acme#1", Optional.empty())).isTrue();
        assertThat(slots.acquireSetAside(own, "acme#3", LEASE, NOW)).isInstanceOf(SlotGrant.Granted.class);
    }

    @Test
    void aPoolWithNothingSetAsideGivesTheOwnerNothing() {
        assertThat(slots.acquireSetAside(pool() + "#tenant#none", "x#1", LEASE, NOW)).isInstanceOf(SlotGrant.Full.class);
    }

    @Test
    void settingAsideMoreThanIsFreeNowChangesNothing() {
        String pool = pool();
        String own = pool + "#tenant#acme";
        slots.acquire(shared(pool, "busy#1"), NOW);
        slots.acquire(shared(pool, "busy#2"), NOW);
        slots.acquire(shared(pool, "busy#3"), NOW);
        assertThat(slots.setAside(pool, 4, "acme", own, 2))
                .isEqualTo(new run.creativeai.gateway.concurrency.SlotPool.SetAside.NoRoom(1));
        assertThat(slots.usage(pool, NOW).active()).isEqualTo(3);
        assertThat(slots.acquireSetAside(own, "acme#1", LEASE, NOW)).as("nothing was set aside")
                .isInstanceOf(SlotGrant.Full.class);
        assertThat(slots.setAside(pool, 4, "acme", own, 1)).isInstanceOf(
                run.creativeai.gateway.concurrency.SlotPool.SetAside.Done.class);
    }

    @Test
    void settingAsideFewerThanTheOwnerHoldsChangesNothingAndEndingItGivesTheSlotsBack() {
        String pool = pool();
        String own = pool + "#tenant#acme";
        slots.setAside(pool, 4, "acme", own, 3);
        slots.acquireSetAside(own, "acme#1", LEASE, NOW);
        slots.acquireSetAside(own, "acme#2", LEASE, NOW);
        assertThat(slots.setAside(pool, 4, "acme", own, 1))
                .isEqualTo(new run.creativeai.gateway.concurrency.SlotPool.SetAside.StillHeld(2));
        assertThat(slots.usage(pool, NOW).active()).as("still three set aside").isEqualTo(3);
        slots.release(own, "acme#1", Optional.empty());
        slots.release(own, "acme#2", Optional.empty());
        assertThat(slots.setAside(pool, 4, "acme", own, 0))
                .isEqualTo(new run.creativeai.gateway.concurrency.SlotPool.SetAside.Done(3, 0));
        assertThat(slots.usage(pool, NOW).active()).isZero();
        assertThat(slots.acquire(shared(pool, "other#1"), NOW)).isInstanceOf(SlotGrant.Granted.class);
        assertThat(slots.acquireSetAside(own, "acme#3", LEASE, NOW)).isInstanceOf(SlotGrant.Full.class);
    }

    @Test
    void instancesRacingForAnOwnersSetAsideSlotsTakeExactlyThem() throws Exception {
        String pool = pool();
        String own = pool + "#tenant#acme";
        slots.setAside(pool, 10, "acme", own, 5);
        int taken = InstanceRace.run(aws, 8, 60, client -> {
            DynamoDbSlotPool instance = new DynamoDbSlotPool(client, table);
            return attempt -> instance.acquireSetAside(own, "acme#" + attempt, LEASE, NOW) instanceof SlotGrant.Granted;
        });
        assertThat(taken).isEqualTo(5);
    }
}
