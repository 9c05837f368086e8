package run.creativeai.gateway.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.adapters.AwsServices;
import run.creativeai.gateway.adapters.InstanceRace;
import java.util.Optional;
import run.creativeai.gateway.access.AuditEntry;
import run.creativeai.gateway.billing.Balance;
import run.creativeai.gateway.limits.AdmissionDecision;
import run.creativeai.gateway.limits.CreditReservation;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.limits.LimitCharge;
import run.creativeai.gateway.limits.LimitState;
import run.creativeai.gateway.limits.RateLimitRule;
import run.creativeai.gateway.limits.RateLimitRule.CountedPer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Many ingress instances racing on one key, for every kind of window: 500 attempts from 16 threads,
 * each with its own SDK client and limiter (as separate Lambda instances have), admit exactly the
 * limit; the refused leave every counter as the admitted left it; and racing alone never refuses a
 * request that has room. With credits in the same write: 200 requests racing against a balance that
 * covers 10 never overdraw it and never over-admit, whichever of the balance and the limits binds
 * first, and what the refused would have reserved is still spendable.
 */
@ExtendWith(AwsServices.class)
class DynamoDbLimiterRacingTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:30Z");
    private static final int INSTANCES = 16;
    private static final int ATTEMPTS = 500;

    private static final int CREDIT_ATTEMPTS = 200;

    private static AwsServices.Running aws;
    private static String table;
    private static String accounts;

    @BeforeAll
    static void setUp(AwsServices.Running running) {
        aws = running;
        table = aws.newTable(DynamoDbLimiter.PK);
        accounts = aws.newTable(AccountItems.PK, AccountItems.SK);
    }

    private static String fresh(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Races {@code ATTEMPTS} requests; returns how many were admitted. */
    private static int race(Function<Integer, List<LimitCharge>> request) throws Exception {
        return InstanceRace.run(aws, INSTANCES, ATTEMPTS, client -> {
            DynamoDbLimiter limiter = new DynamoDbLimiter(client, table);
            return attempt -> limiter.admit(request.apply(attempt), NOW) instanceof AdmissionDecision.Admitted;
        });
    }

    private static List<Long> counts(List<LimitCharge> request) {
        try (DynamoDbClient client = aws.newDynamoDb()) {
            return new DynamoDbLimiter(client, table).peek(request, NOW).stream().map(LimitState::used).toList();
        }
    }

    @Test
    void aFixedWindowAdmitsExactlyItsLimit() throws Exception {
        RateLimitRule rule = RateLimitRule.fixed("plan_requests_per_minute", RateLimitRule.Unit.REQUESTS, 100, Duration.ofMinutes(1),
                CountedPer.KEY);
        List<LimitCharge> request = List.of(new LimitCharge(rule, fresh("key_"), 1));
        assertThat(race(i -> request)).isEqualTo(100);
        assertThat(counts(request)).containsExactly(100L);
    }

    @Test
    void aRollingWindowAdmitsExactlyItsLimit() throws Exception {
        RateLimitRule rule = RateLimitRule.rolling("videos_per_30_minutes", RateLimitRule.Unit.VIDEOS, 30, Duration.ofMinutes(30),
                CountedPer.KEY);
        List<LimitCharge> request = List.of(new LimitCharge(rule, fresh("key_"), 1));
        assertThat(race(i -> request)).isEqualTo(30);
        assertThat(counts(request)).containsExactly(30L);
    }

    @Test
    void aDailyQuotaAcrossKeyAndTenantItemsAdmitsExactlyItsLimitAndTheRefusedCountNowhere() throws Exception {
        RateLimitRule perKey = RateLimitRule.fixed("plan_requests_per_minute", RateLimitRule.Unit.REQUESTS, 1000, Duration.ofMinutes(1),
                CountedPer.KEY);
        RateLimitRule daily = RateLimitRule.fixed("daily_tasks", RateLimitRule.Unit.TASKS, 120, Duration.ofDays(1), CountedPer.TENANT)
                .asQuota();
        RateLimitRule rolling = RateLimitRule.rolling("videos_per_24_hours", RateLimitRule.Unit.VIDEOS, 200, Duration.ofHours(24),
                CountedPer.TENANT);
        List<LimitCharge> request = List.of(new LimitCharge(perKey, fresh("key_"), 1),
                new LimitCharge(daily, fresh("tenant-"), 1), new LimitCharge(rolling, fresh("tenant-"), 1));
        assertThat(race(i -> request)).isEqualTo(120);
        assertThat(counts(request)).as("per-key, daily and rolling counters").containsExactly(120L, 120L, 120L);
    }

    @Test
    void imagesRacingWithDifferentSizesNeverPassTheImageLimit() throws Exception {
        RateLimitRule rule = RateLimitRule.fixed("model.flux.images_per_minute", RateLimitRule.Unit.IMAGES, 250, Duration.ofMinutes(1),
                CountedPer.KEY);
        String key = fresh("key_");
        int admitted = race(i -> List.of(new LimitCharge(rule, key, 1 + i % 4)));
        long counted = counts(List.of(new LimitCharge(rule, key, 1))).get(0);
        assertThat(counted).as("images counted").isLessThanOrEqualTo(250).isGreaterThan(246);
        assertThat(admitted).isPositive();
    }

    @Test
    void racingAloneNeverRefusesARequestThatHasRoom() throws Exception {
        RateLimitRule fixed = RateLimitRule.fixed("plan_requests_per_minute", RateLimitRule.Unit.REQUESTS, 1000, Duration.ofMinutes(1),
                CountedPer.KEY);
        RateLimitRule ring = RateLimitRule.rolling("videos_per_30_minutes", RateLimitRule.Unit.VIDEOS, 1000, Duration.ofMinutes(30),
                CountedPer.KEY);
        String key = fresh("key_");
        List<LimitCharge> request = List.of(new LimitCharge(fixed, key, 1), new LimitCharge(ring, key, 1),
                new LimitCharge(fixed, fresh("tenant-"), 1));
        assertThat(race(i -> request)).isEqualTo(ATTEMPTS);
    }

    // ---- credits reserved in the same write as the limits

    private record Credited(int admitted, Balance balance) {
    }

    /** Funds a new tenant with {@code funds}, races {@link #CREDIT_ATTEMPTS} requests each reserving {@code cost}. */
    private static Credited raceForCredits(long funds, long cost, java.util.function.Function<String, List<LimitCharge>> request)
            throws Exception {
        String tenant = fresh("tenant-");
        try (DynamoDbClient client = aws.newDynamoDb()) {
            new DynamoDbAccounts(client, accounts).addCredits(new TenantId(tenant), funds,
                    new AuditEntry(NOW, "racing test", "credits add", "+" + funds));
        }
        List<LimitCharge> charges = request.apply(tenant);
        int admitted = InstanceRace.run(aws, INSTANCES, CREDIT_ATTEMPTS, client -> {
            DynamoDbLimiter limiter = new DynamoDbLimiter(client, table, accounts);
            return attempt -> limiter.admit(charges, Optional.of(new CreditReservation(tenant, cost)), NOW)
                    instanceof AdmissionDecision.Admitted;
        });
        try (DynamoDbClient client = aws.newDynamoDb()) {
            return new Credited(admitted, new DynamoDbAccounts(client, accounts).balance(new TenantId(tenant)));
        }
    }

    @Test
    void twoHundredRequestsRacingForABalanceThatCoversTenAdmitTenAndNeverOverdrawIt() throws Exception {
        RateLimitRule perKey = RateLimitRule.fixed("plan_requests_per_minute", RateLimitRule.Unit.REQUESTS, 1000,
                Duration.ofMinutes(1), CountedPer.KEY);
        RateLimitRule perTenant = RateLimitRule.fixed("create_requests_per_minute", RateLimitRule.Unit.REQUESTS, 1000,
                Duration.ofMinutes(1), CountedPer.TENANT);
        String key = fresh("key_");
        Credited raced = raceForCredits(300, 30, tenant -> List.of(new LimitCharge(perKey, key, 1),
                new LimitCharge(perTenant, tenant, 1)));
        assertThat(raced.admitted()).as("admitted").isEqualTo(10);
        assertThat(raced.balance()).as("nothing left to spend, all of it reserved").isEqualTo(new Balance(0, 300));
        assertThat(counts(List.of(new LimitCharge(perKey, key, 1)))).as("the refused counted against no limit")
                .containsExactly(10L);
    }

    @Test
    void whenALimitBindsBeforeTheBalanceTheRefusedReserveNothing() throws Exception {
        RateLimitRule perKey = RateLimitRule.fixed("plan_requests_per_minute", RateLimitRule.Unit.REQUESTS, 8,
                Duration.ofMinutes(1), CountedPer.KEY);
        RateLimitRule ring = RateLimitRule.rolling("videos_per_24_hours", RateLimitRule.Unit.VIDEOS, 100,
                Duration.ofHours(24), CountedPer.TENANT);
        String key = fresh("key_");
        Credited raced = raceForCredits(300, 30, tenant -> List.of(new LimitCharge(perKey, key, 1),
                new LimitCharge(ring, tenant, 1)));
        assertThat(raced.admitted()).as("admitted: the limit of 8").isEqualTo(8);
        assertThat(raced.balance()).as("8 reservations, the rest spendable").isEqualTo(new Balance(60, 240));
    }

    @Test
    void racersOfDifferentCostsNeverReserveMoreThanTheBalance() throws Exception {
        RateLimitRule perKey = RateLimitRule.fixed("plan_requests_per_minute", RateLimitRule.Unit.REQUESTS, 1000,
                Duration.ofMinutes(1), CountedPer.KEY);
        String key = fresh("key_");
        String tenant = fresh("tenant-");
        try (DynamoDbClient client = aws.newDynamoDb()) {
            new DynamoDbAccounts(client, accounts).addCredits(new TenantId(tenant), 101,
                    new AuditEntry(NOW, "racing test", "credits add", "+101"));
        }
        java.util.concurrent.atomic.AtomicLong reserved = new java.util.concurrent.atomic.AtomicLong();
        int admitted = InstanceRace.run(aws, INSTANCES, CREDIT_ATTEMPTS, client -> {
            DynamoDbLimiter limiter = new DynamoDbLimiter(client, table, accounts);
            return attempt -> {
                long cost = 1 + attempt % 7;
                boolean in = limiter.admit(List.of(new LimitCharge(perKey, key, 1)),
                        Optional.of(new CreditReservation(tenant, cost)), NOW) instanceof AdmissionDecision.Admitted;
                if (in) {
                    reserved.addAndGet(cost);
                }
                return in;
            };
        });
        Balance balance;
        try (DynamoDbClient client = aws.newDynamoDb()) {
            balance = new DynamoDbAccounts(client, accounts).balance(new TenantId(tenant));
        }
        assertThat(balance.available()).as("never overdrawn").isNotNegative();
        assertThat(balance.reserved()).as("what the admitted reserved, and no more").isEqualTo(reserved.get())
                .isLessThanOrEqualTo(101);
        assertThat(balance.available() + balance.reserved()).isEqualTo(101);
        assertThat(counts(List.of(new LimitCharge(perKey, key, 1)))).containsExactly((long) admitted);
    }
}
