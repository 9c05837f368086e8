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
import run.creativeai.gateway.limits.AdmissionDecision;
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
 * Each sequence mixes fixed and rolling windows, key and tenant counters, and multi-unit costs.
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

    @BeforeContainer
    static void start() {
        services = LocalServices.start(Optional.empty(), java.time.Clock.systemUTC());
        dynamo = AwsClients.dynamoDb(FunctionEnvironment.of(services.awsEnvironment()));
        table = "limits-" + UUID.randomUUID();
        dynamo.createTable(b -> b.tableName(table)
                .keySchema(k -> k.attributeName(DynamoDbLimiter.PK).keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName(DynamoDbLimiter.PK).attributeType(ScalarAttributeType.S))
                .billingMode(BillingMode.PAY_PER_REQUEST));
    }

    @AfterContainer
    static void stop() {
        dynamo.close();
        services.close();
    }

    /** One step: wait {@code advanceMillis}, then send a request charged to {@code rules} (indexes into RULES). */
    record Step(long advanceMillis, List<Integer> rules, int imageCost, boolean secondKey) {
    }

    @Provide
    Arbitrary<List<Step>> sequences() {
        Arbitrary<Long> advance = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.longs().between(0, 2_000)),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(2_000, 40_000)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(40_000, 200_000)));
        Arbitrary<List<Integer>> rules = Arbitraries.integers().between(0, RULES.size() - 1).set().ofMinSize(1)
                .map(set -> set.stream().sorted().toList());
        Arbitrary<Step> step = Combinators.combine(advance, rules, Arbitraries.integers().between(1, 4),
                Arbitraries.of(false, false, true)).as(Step::new);
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
        List<DynamoDbLimiter> instances = List.of(new DynamoDbLimiter(dynamo, table), new DynamoDbLimiter(dynamo, table));
        Instant now = START;
        int n = 0;
        for (Step step : steps) {
            now = now.plusMillis(step.advanceMillis());
            String key = keys.get(step.secondKey() ? 1 : 0);
            List<LimitCharge> charges = new ArrayList<>();
            for (int index : step.rules()) {
                RateLimitRule rule = RULES.get(index);
                long cost = rule.unit() == RateLimitRule.Unit.IMAGES ? step.imageCost() : 1;
                charges.add(new LimitCharge(rule, rule.per() == CountedPer.KEY ? key : tenant, cost));
            }
            AdmissionDecision expected = reference.admit(charges, now);
            AdmissionDecision actual = instances.get(n++ % 2).admit(charges, now);
            String where = "step " + n + " at " + now + " " + step;
            assertThat(actual.getClass()).as(where).isEqualTo(expected.getClass());
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
    }
}
