package run.creativeai.gateway.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.access.AuditEntry;
import run.creativeai.gateway.adapters.AwsServices;
import run.creativeai.gateway.limits.AdmissionDecision;
import run.creativeai.gateway.limits.CreditReservation;
import run.creativeai.gateway.limits.LimitCharge;
import run.creativeai.gateway.limits.LimitState;
import run.creativeai.gateway.limits.RateLimitRule;
import run.creativeai.gateway.limits.RateLimitRule.CountedPer;
import run.creativeai.gateway.tenant.TenantId;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A burst that its limit or its balance refuses costs DynamoDB at most one read of its items a second
 * per instance, against DynamoDB Local: a refusal proven by items this instance had from DynamoDB
 * within the last second is answered from them. A limit's decision is never that old, only its
 * counts; a balance can be, so a top-up counts within a second.
 */
@ExtendWith(AwsServices.class)
class DynamoDbLimiterRefusalReadsTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final RateLimitRule TWO_PER_MINUTE = RateLimitRule.fixed("plan_requests_per_minute",
            RateLimitRule.Unit.REQUESTS, 2, Duration.ofMinutes(1), CountedPer.KEY);
    private static final RateLimitRule ORG_PER_MINUTE = RateLimitRule.fixed("create_requests_per_minute",
            RateLimitRule.Unit.REQUESTS, 100, Duration.ofMinutes(1), CountedPer.TENANT);

    private static AwsServices.Running aws;
    private static String counters;
    private static String accounts;

    @BeforeAll
    static void setUp(AwsServices.Running running) {
        aws = running;
        counters = aws.newTable(DynamoDbLimiter.PK);
        accounts = aws.newTable(AccountItems.PK, AccountItems.SK);
    }

    private static String fresh(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aBurstPastItsLimitReadsItsCounterAtMostOnceASecond() {
        List<String> calls = new ArrayList<>();
        DynamoDbLimiter limiter = new DynamoDbLimiter(aws.newNotingDynamoDb(calls), counters);
        List<LimitCharge> request = List.of(new LimitCharge(TWO_PER_MINUTE, fresh("key_"), 1));
        assertThat(limiter.admit(request, NOW)).isInstanceOf(AdmissionDecision.Admitted.class);
        assertThat(limiter.admit(request, NOW.plusMillis(100))).isInstanceOf(AdmissionDecision.Admitted.class);
        calls.clear();

        for (int i = 0; i < 10; i++) {
            AdmissionDecision refused = limiter.admit(request, NOW.plusMillis(200 + 80 * i));
            assertThat(refused).isInstanceOf(AdmissionDecision.Refused.class);
            assertThat(refused.tightest().used()).isEqualTo(2);
        }
        assertThat(calls).as("refused from the item the second admission's write returned, 100 ms before the first")
                .isEmpty();

        for (int i = 0; i < 10; i++) {
            assertThat(limiter.admit(request, NOW.plusMillis(1_200 + 80 * i)))
                    .isInstanceOf(AdmissionDecision.Refused.class);
        }
        assertThat(calls).as("read once, when the item it had was more than a second old; then answered from that read")
                .containsExactly("BatchGetItem");

        assertThat(limiter.admit(request, NOW.plusSeconds(60))).as("the next minute's first request")
                .isInstanceOf(AdmissionDecision.Admitted.class);
    }

    @Test
    void aRefusalsCountsAreAtMostASecondOldWhenAnotherInstanceCounted() {
        String tenant = fresh("tenant-");
        String key = fresh("key_");
        DynamoDbClient dynamo = aws.newDynamoDb();
        DynamoDbLimiter first = new DynamoDbLimiter(dynamo, counters);
        DynamoDbLimiter second = new DynamoDbLimiter(dynamo, counters);
        List<LimitCharge> request = List.of(new LimitCharge(TWO_PER_MINUTE, key, 1),
                new LimitCharge(ORG_PER_MINUTE, tenant, 1));
        first.admit(request, NOW);
        first.admit(request, NOW.plusMillis(100));
        // Another key of the tenant, on the other instance: the tenant's count moves to 3.
        assertThat(second.admit(List.of(new LimitCharge(TWO_PER_MINUTE, fresh("key_"), 1),
                new LimitCharge(ORG_PER_MINUTE, tenant, 1)), NOW.plusMillis(200)))
                .isInstanceOf(AdmissionDecision.Admitted.class);

        AdmissionDecision soon = first.admit(request, NOW.plusMillis(300));
        assertThat(soon).isInstanceOf(AdmissionDecision.Refused.class);
        assertThat(soon.states()).extracting(LimitState::used).as("the tenant's count as this instance had it 200 ms ago")
                .containsExactly(2L, 2L);

        AdmissionDecision later = first.admit(request, NOW.plusMillis(1_200));
        assertThat(later).isInstanceOf(AdmissionDecision.Refused.class);
        assertThat(later.states()).extracting(LimitState::used).as("read again: the other instance's request counted")
                .containsExactly(2L, 3L);
    }

    @Test
    void aBurstWithNoCreditsReadsItsBalanceAtMostOnceASecondAndATopUpCountsWithinIt() {
        TenantId tenant = new TenantId(fresh("t-"));
        DynamoDbAccounts balances = new DynamoDbAccounts(aws.newDynamoDb(), accounts);
        balances.addCredits(tenant, 5, new AuditEntry(NOW, "test", "credits add", "+5"));
        List<String> calls = new ArrayList<>();
        DynamoDbLimiter limiter = new DynamoDbLimiter(aws.newNotingDynamoDb(calls), counters, accounts);
        List<LimitCharge> request = List.of(new LimitCharge(TWO_PER_MINUTE, fresh("key_"), 1));
        Optional<CreditReservation> ten = Optional.of(new CreditReservation(tenant.value(), 10));

        AdmissionDecision first = limiter.admit(request, ten, NOW);
        assertThat(first).isInstanceOf(AdmissionDecision.InsufficientCredits.class);
        assertThat(((AdmissionDecision.InsufficientCredits) first).balance()).isEqualTo(5);
        assertThat(calls).as("the balance from its cancelled transaction, then the key's counters it never had")
                .containsExactly("TransactWriteItems", "BatchGetItem");
        calls.clear();
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.admit(request, ten, NOW.plusMillis(100 + 80 * i)))
                    .isInstanceOf(AdmissionDecision.InsufficientCredits.class);
        }
        assertThat(calls).as("a burst within the second reads nothing").isEmpty();

        balances.addCredits(tenant, 100, new AuditEntry(NOW.plusMillis(900), "test", "credits add", "+100"));
        assertThat(limiter.admit(request, ten, NOW.plusMillis(950))).as("topped up 50 ms before, balance had 950 ms ago")
                .isInstanceOf(AdmissionDecision.InsufficientCredits.class);
        assertThat(limiter.admit(request, ten, NOW.plusMillis(1_001))).as("a second after the balance was had")
                .isInstanceOf(AdmissionDecision.Admitted.class);
        assertThat(calls).containsExactly("BatchGetItem", "TransactWriteItems");
    }
}
