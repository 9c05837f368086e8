package run.creativeai.gateway.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import run.creativeai.gateway.adapters.AwsClients;
import run.creativeai.gateway.api.RateLimitResponses;
import run.creativeai.gateway.access.AuditEntry;
import run.creativeai.gateway.billing.Balance;
import run.creativeai.gateway.billing.Settlement;
import run.creativeai.gateway.billing.UsageEntry;
import run.creativeai.gateway.job.Charge;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.limits.AdmissionDecision;
import run.creativeai.gateway.limits.CreditReservation;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.limits.LimitCharge;
import run.creativeai.gateway.limits.LimitState;
import run.creativeai.gateway.limits.RateLimitRule;
import run.creativeai.gateway.limits.RateLimitRule.CountedPer;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.testing.ReferenceLimiter;
import run.creativeai.local.services.LocalServices;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Random sequences of requests and clock moves, decided by the DynamoDB limiter and by the plain
 * reference model: they agree on every decision, the refusing rule, every state and every header.
 * Each sequence mixes fixed and rolling windows, key and tenant counters, and multi-unit costs, and
 * the tenant's credits: requests that reserve some, top-ups, and settlements that refund part of a
 * reservation; the model and DynamoDB agree on every refusal for credits and on the balance at the end.
 */
class DynamoDbLimiterPropertyTest {
    private static final Instant START = Instant.parse("2026-11-23T23:58:00Z");
    private static final List<RateLimitRule> RULES = List.of(
            RateLimitRule.fixed("per_minute", RateLimitRule.Unit.REQUESTS, 5, Duration.ofMinutes(1), CountedPer.KEY),
            RateLimitRule.fixed("images_per_minute", RateLimitRule.Unit.IMAGES, 7, Duration.ofMinutes(1), CountedPer.KEY),
            RateLimitRule.rolling("per_30_seconds", RateLimitRule.Unit.VIDEOS, 4, Duration.ofSeconds(30), CountedPer.KEY),
            RateLimitRule.fixed("org_per_minute", RateLimitRule.Unit.REQUESTS, 8, Duration.ofMinutes(1), CountedPer.TENANT),
            RateLimitRule.rolling("org_per_2_minutes", RateLimitRule.Unit.VIDEOS, 6, Duration.ofMinutes(2), CountedPer.TENANT),
            RateLimitRule.fixed("daily", RateLimitRule.Unit.TASKS, 12, Duration.ofDays(1), CountedPer.TENANT).asQuota());

    private static LocalServices services;
    private static DynamoDbClient dynamo;
    private static String table;
    private static String accounts;

    @BeforeContainer
    static void start() {
        services = LocalServices.start(Optional.empty(), java.time.Clock.systemUTC());
        dynamo = AwsClients.dynamoDb(FunctionEnvironment.of(services.awsEnvironment()));
        table = "limits-" + UUID.randomUUID();
        dynamo.createTable(b -> b.tableName(table)
                .keySchema(k -> k.attributeName(DynamoDbLimiter.PK).keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName(DynamoDbLimiter.PK).attributeType(ScalarAttributeType.S))
                .billingMode(BillingMode.PAY_PER_REQUEST));
        accounts = "accounts-" + UUID.randomUUID();
        dynamo.createTable(b -> b.tableName(accounts)
                .keySchema(k -> k.attributeName(AccountItems.PK).keyType(KeyType.HASH),
                        k -> k.attributeName(AccountItems.SK).keyType(KeyType.RANGE))
                .attributeDefinitions(a -> a.attributeName(AccountItems.PK).attributeType(ScalarAttributeType.S),
                        a -> a.attributeName(AccountItems.SK).attributeType(ScalarAttributeType.S))
                .billingMode(BillingMode.PAY_PER_REQUEST));
    }

    @AfterContainer
    static void stop() {
        dynamo.close();
        services.close();
    }

    /** What a step does besides waiting. */
    enum Action {
        REQUEST, TOP_UP, SETTLE
    }

    /**
     * One step: wait {@code advanceMillis}, then send a request charged to {@code rules} (indexes into
     * RULES) reserving {@code credits} (none when 0); or top the tenant up; or settle the oldest
     * reservation still held, charging half of it.
     */
    record Step(long advanceMillis, List<Integer> rules, int imageCost, boolean secondKey, int credits, Action action) {
    }

    @Provide
    Arbitrary<List<Step>> sequences() {
        Arbitrary<Long> advance = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.longs().between(0, 2_000)),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(2_000, 40_000)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(40_000, 200_000)));
        Arbitrary<List<Integer>> rules = Arbitraries.integers().between(0, RULES.size() - 1).set().ofMinSize(1)
                .map(set -> set.stream().sorted().toList());
        Arbitrary<Integer> credits = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(1, 40)));
        Arbitrary<Action> action = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, Arbitraries.just(Action.REQUEST)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Action.TOP_UP)), net.jqwik.api.Tuple.of(1, Arbitraries.just(Action.SETTLE)));
        Arbitrary<Step> step = Combinators.combine(advance, rules, Arbitraries.integers().between(1, 4),
                Arbitraries.of(false, false, true), credits, action).as(Step::new);
        return step.list().ofMinSize(5).ofMaxSize(40);
    }

    @Property(tries = 60)
    void theDynamoDbLimiterAgreesWithTheReferenceModelOnEveryDecisionAndHeader(
            @ForAll("sequences") List<Step> steps) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> keys = List.of("key_a" + run, "key_b" + run);
        String tenant = "tenant-" + run;
        ReferenceLimiter reference = new ReferenceLimiter();
        // Two instances serve the tenant, as two Lambda containers would; each request goes to one of them.
        // Every refusal reads its items, as a deployed instance's does after a second without them
        // (DynamoDbLimiterRefusalReadsTest holds what it answers within that second).
        List<DynamoDbLimiter> instances = List.of(new DynamoDbLimiter(dynamo, table, accounts, Duration.ZERO),
                new DynamoDbLimiter(dynamo, table, accounts, Duration.ZERO));
        DynamoDbAccounts balances = new DynamoDbAccounts(dynamo, accounts);
        DynamoDbSettlementLedger ledger = new DynamoDbSettlementLedger(dynamo, accounts, table, java.time.Clock.systemUTC());
        java.util.ArrayDeque<Long> held = new java.util.ArrayDeque<>();
        TenantId payer = new TenantId(tenant);
        reference.fund(tenant, 60);
        balances.addCredits(payer, 60, new AuditEntry(START, "property test", "credits add", "+60"));
        Instant now = START;
        int n = 0;
        for (Step step : steps) {
            now = now.plusMillis(step.advanceMillis());
            if (step.action() == Action.TOP_UP) {
                reference.fund(tenant, 25);
                balances.addCredits(payer, 25, new AuditEntry(now, "property test", "credits add", "+25"));
                continue;
            }
            if (step.action() == Action.SETTLE) {
                if (!held.isEmpty()) {
                    long reservation = held.poll();
                    reference.settle(tenant, reservation, reservation / 2);
                    Charge charge = new Charge(reservation, reservation / 2);
                    ledger.record(new Settlement(new JobId("gen_" + UUID.randomUUID().toString().replace("-", "").substring(0, 26)),
                            payer, charge, new UsageEntry(java.time.LocalDate.of(2026, 11, 23), "sdxl", keys.get(0), 1, 1, 0, 0, 1, 0,
                                    charge.charged(), charge.refunded()), Optional.empty()));
                }
                continue;
            }
            Optional<CreditReservation> reservation = step.credits() > 0
                    ? Optional.of(new CreditReservation(tenant, step.credits())) : Optional.empty();
            String key = keys.get(step.secondKey() ? 1 : 0);
            List<LimitCharge> charges = new ArrayList<>();
            for (int index : step.rules()) {
                RateLimitRule rule = RULES.get(index);
                long cost = rule.unit() == RateLimitRule.Unit.IMAGES ? step.imageCost() : 1;
                charges.add(new LimitCharge(rule, rule.per() == CountedPer.KEY ? key : tenant, cost));
            }
            AdmissionDecision expected = reference.admit(charges, reservation, now);
            AdmissionDecision actual = instances.get(n++ % 2).admit(charges, reservation, now);
            String where = "step " + n + " at " + now + " " + step;
            net.jqwik.api.statistics.Statistics.label("decisions").collect(expected.getClass().getSimpleName());
            assertThat(actual.getClass()).as(where).isEqualTo(expected.getClass());
            if (expected instanceof AdmissionDecision.InsufficientCredits) {
                assertThat(actual).as(where + ": the refusal for credits").isEqualTo(expected);
            }
            if (expected instanceof AdmissionDecision.Admitted) {
                reservation.ifPresent(r -> held.add(r.credits()));
            }
            assertThat(actual.tightest()).as(where + ": the rule the headers describe").isEqualTo(expected.tightest());
            assertThat(actual.states()).as(where + ": every rule's state").isEqualTo(expected.states());
            Map<String, String> expectedHeaders = RateLimitResponses.headers(expected, now);
            assertThat(RateLimitResponses.headers(actual, now)).as(where + ": headers").isEqualTo(expectedHeaders);
        }
        List<LimitCharge> everything = new ArrayList<>();
        for (RateLimitRule rule : RULES) {
            everything.add(new LimitCharge(rule, rule.per() == CountedPer.KEY ? keys.get(0) : tenant, 1));
        }
        List<LimitState> stored = new DynamoDbLimiter(dynamo, table).peek(everything, now);
        assertThat(stored).as("the counters at the end, read fresh").isEqualTo(reference.peek(everything, now));
        assertThat(balances.balance(payer)).as("the balance at the end: spendable and reserved")
                .isEqualTo(new Balance(reference.available(tenant), reference.reserved(tenant)));
        assertThat(reference.available(tenant)).as("never overdrawn").isNotNegative();
    }
}
