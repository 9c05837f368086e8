package run.creativeai.gateway.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.access.AuditEntry;
import run.creativeai.gateway.adapters.AwsServices;
import run.creativeai.gateway.adapters.InstanceRace;
import run.creativeai.gateway.billing.Balance;
import run.creativeai.gateway.billing.Settlement;
import run.creativeai.gateway.billing.UsageEntry;
import run.creativeai.gateway.job.Charge;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.limits.AdmissionDecision;
import run.creativeai.gateway.limits.CreditReservation;
import run.creativeai.gateway.limits.KeyBudget;
import run.creativeai.gateway.limits.LimitCharge;
import run.creativeai.gateway.tenant.TenantId;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Settlements in DynamoDB Local: a job's credits and usage are settled once however often, and by
 * however many instances at once, it is asked; the refund reaches the balance, and the key's daily
 * budget while that day lasts.
 */
@ExtendWith(AwsServices.class)
class DynamoDbSettlementLedgerTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final LocalDate TODAY = LocalDate.ofInstant(NOW, ZoneOffset.UTC);

    private static AwsServices.Running aws;
    private static String accounts;
    private static String counters;
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void setUp(AwsServices.Running running) {
        aws = running;
        accounts = aws.newTable(AccountItems.PK, AccountItems.SK);
        counters = aws.newTable(DynamoDbLimiter.PK);
        dynamo = aws.newDynamoDb();
    }

    private static TenantId tenant() {
        return new TenantId("t-" + UUID.randomUUID().toString().substring(0, 8));
    }

    private static JobId job() {
        return new JobId("gen_" + UUID.randomUUID().toString().replace("-", "").substring(0, 26));
    }

    /** A tenant with {@code funds}, of which {@code held} reserved by a job (as admission leaves it). */
    private static void fundAndReserve(TenantId tenant, long funds, long held, String key, Optional<Long> budget) {
        new DynamoDbAccounts(dynamo, accounts).addCredits(tenant, funds, new AuditEntry(NOW, "test", "credits add", "+"));
        List<LimitCharge> charges = budget.map(b -> List.of(new LimitCharge(KeyBudget.rule(b), key, held)))
                .orElse(List.of());
        assertThat(new DynamoDbLimiter(dynamo, counters, accounts).admit(charges,
                Optional.of(new CreditReservation(tenant.value(), held)), NOW)).isInstanceOf(AdmissionDecision.Admitted.class);
    }

    private static Settlement settlement(JobId job, TenantId tenant, long reserved, long charged, String key,
            Optional<Settlement.BudgetRefund> budget) {
        Charge charge = new Charge(reserved, charged);
        return new Settlement(job, tenant, charge, new UsageEntry(TODAY, "flux", key, 1, 1, 0, 0, 2, 0, charge.charged(),
                charge.refunded()), budget);
    }

    private static DynamoDbSettlementLedger ledger(DynamoDbClient client) {
        return new DynamoDbSettlementLedger(client, accounts, counters, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void aJobIsSettledOnceHoweverOftenItIsAsked() {
        TenantId tenant = tenant();
        fundAndReserve(tenant, 100, 60, "key_once1", Optional.empty());
        JobId job = job();
        Settlement settlement = settlement(job, tenant, 60, 8, "key_once1", Optional.empty());
        assertThat(ledger(dynamo).record(settlement)).isTrue();
        assertThat(ledger(dynamo).record(settlement)).as("asked again").isFalse();
        assertThat(ledger(dynamo).record(settlement)).isFalse();
        assertThat(new DynamoDbAccounts(dynamo, accounts).balance(tenant)).as("100 - 8 charged, nothing held")
                .isEqualTo(new Balance(92, 0));
        assertThat(new DynamoDbUsage(dynamo, accounts).entries(tenant, TODAY, TODAY))
                .containsExactly(new UsageEntry(TODAY, "flux", "key_once1", 1, 1, 0, 0, 2, 0, 8, 52));
    }

    @Test
    void instancesRacingToSettleOneJobSettleItOnce() throws Exception {
        TenantId tenant = tenant();
        fundAndReserve(tenant, 100, 60, "key_race1", Optional.empty());
        Settlement settlement = settlement(job(), tenant, 60, 30, "key_race1", Optional.empty());
        int settled = InstanceRace.run(aws, 8, 40, client -> {
            DynamoDbSettlementLedger ledger = ledger(client);
            return attempt -> ledger.record(settlement);
        });
        assertThat(settled).isEqualTo(1);
        assertThat(new DynamoDbAccounts(dynamo, accounts).balance(tenant)).isEqualTo(new Balance(70, 0));
        assertThat(new DynamoDbUsage(dynamo, accounts).entries(tenant, TODAY, TODAY)).extracting(UsageEntry::jobs)
                .containsExactly(1L);
    }

    @Test
    void theRefundGoesBackToTheKeysBudgetOfItsDayAndNotToALaterOne() {
        TenantId tenant = tenant();
        String key = "key_budget1";
        fundAndReserve(tenant, 1000, 90, key, Optional.of(100L));
        long today = KeyBudget.rule(100).windowIndex(NOW);
        ledger(dynamo).record(settlement(job(), tenant, 90, 30, key,
                Optional.of(new Settlement.BudgetRefund(key, today, 60))));
        LimitCharge budget = new LimitCharge(KeyBudget.rule(100), key, 1);
        assertThat(new DynamoDbLimiter(dynamo, counters).peek(List.of(budget), NOW).get(0).used())
                .as("the budget counts what the job cost").isEqualTo(30);

        fundAndReserve(tenant, 0, 60, key, Optional.of(100L));
        assertThat(ledger(dynamo).record(settlement(job(), tenant, 60, 0, key,
                Optional.of(new Settlement.BudgetRefund(key, today - 1, 60))))).as("settled, a day late").isTrue();
        assertThat(new DynamoDbLimiter(dynamo, counters).peek(List.of(budget), NOW).get(0).used())
                .as("a refund for another day leaves today's budget alone").isEqualTo(90);
        assertThat(new DynamoDbAccounts(dynamo, accounts).balance(tenant)).isEqualTo(new Balance(970, 0));
    }

    @Test
    void usageIsReadBackForADateRangeInOneQueryPerPage() {
        TenantId tenant = tenant();
        fundAndReserve(tenant, 100, 10, "key_usage1", Optional.empty());
        DynamoDbSettlementLedger ledger = ledger(dynamo);
        for (LocalDate day : List.of(TODAY.minusDays(1), TODAY, TODAY.plusDays(1))) {
            ledger.record(new Settlement(job(), tenant, new Charge(0, 0), new UsageEntry(day, "sdxl", "key_usage1", 1, 0,
                    1, 0, 0, 0, 0, 0), Optional.empty()));
        }
        assertThat(new DynamoDbUsage(dynamo, accounts).entries(tenant, TODAY, TODAY)).extracting(UsageEntry::day)
                .containsExactly(TODAY);
        assertThat(new DynamoDbUsage(dynamo, accounts).entries(tenant, TODAY.minusDays(1), TODAY.plusDays(1)))
                .hasSize(3);
    }
}
