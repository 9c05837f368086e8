package run.creativeai.gateway.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.adapters.AwsServices;
import run.creativeai.gateway.limits.AdmissionDecision;
import run.creativeai.gateway.limits.LimitCharge;
import run.creativeai.gateway.limits.RateLimitRule;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The per-minute counter against real DynamoDB Local, with time given explicitly. */
@ExtendWith(AwsServices.class)
class DynamoDbLimiterTest {
    private static final Instant WINDOW_START = Instant.parse("2026-11-23T10:00:00Z");
    private static final RateLimitRule TEN_PER_MINUTE = new RateLimitRule("plan_requests_per_minute", "requests", 10,
            Duration.ofMinutes(1));

    private static AwsServices.Running aws;
    private static String table;

    @BeforeAll
    static void setUp(AwsServices.Running running) {
        aws = running;
        table = aws.newTable(DynamoDbLimiter.PK);
    }

    private static List<LimitCharge> charge(String scope) {
        return List.of(new LimitCharge(TEN_PER_MINUTE, scope, 1));
    }

    @Test
    void theLimitIsAdmittedAndTheNextIsRefusedUntilTheWindowEnds() {
        try (DynamoDbClient dynamo = aws.newDynamoDb()) {
            DynamoDbLimiter limiter = new DynamoDbLimiter(dynamo, table);
            for (int i = 1; i <= 10; i++) {
                AdmissionDecision decision = limiter.admit(charge("key_seq"), WINDOW_START.plusSeconds(i));
                assertThat(decision).isInstanceOf(AdmissionDecision.Admitted.class);
                assertThat(decision.tightest().remaining()).isEqualTo(10 - i);
            }
            AdmissionDecision eleventh = limiter.admit(charge("key_seq"), WINDOW_START.plusSeconds(30));
            assertThat(eleventh).isInstanceOf(AdmissionDecision.Refused.class);
            assertThat(eleventh.tightest().used()).isEqualTo(10);
            assertThat(eleventh.tightest().resetAt()).isEqualTo(WINDOW_START.plusSeconds(60));
            assertThat(eleventh.tightest().secondsUntilReset(WINDOW_START.plusSeconds(30))).isEqualTo(30);

            assertThat(limiter.admit(charge("key_seq"), WINDOW_START.plusSeconds(60)))
                    .as("the first request of the next minute").isInstanceOf(AdmissionDecision.Admitted.class);
        }
    }

    @Test
    void aRefusedRequestLeavesTheCountAsItWas() {
        try (DynamoDbClient dynamo = aws.newDynamoDb()) {
            DynamoDbLimiter limiter = new DynamoDbLimiter(dynamo, table);
            for (int i = 0; i < 12; i++) {
                limiter.admit(charge("key_refused"), WINDOW_START);
            }
            assertThat(count(dynamo, "key_refused", WINDOW_START)).isEqualTo(10);
        }
    }

    @Test
    void counterItemsCarryAnExpiryAnHourAfterTheirWindow() {
        try (DynamoDbClient dynamo = aws.newDynamoDb()) {
            new DynamoDbLimiter(dynamo, table).admit(charge("key_ttl"), WINDOW_START.plusSeconds(5));
            Map<String, AttributeValue> item = item(dynamo, "key_ttl", WINDOW_START);
            assertThat(Long.parseLong(item.get(DynamoDbLimiter.EXPIRES_AT).n()))
                    .isEqualTo(WINDOW_START.plusSeconds(60).plus(Duration.ofHours(1)).getEpochSecond());
        }
    }

    @Test
    void fiveHundredAttemptsRacingFromSixteenInstancesAdmitExactlyTheLimit() throws Exception {
        RateLimitRule hundred = new RateLimitRule("race", "requests", 100, Duration.ofMinutes(1));
        int instances = 16;
        int attempts = 500;
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger next = new AtomicInteger();
        List<Future<Integer>> admittedPerInstance = new ArrayList<>();
        for (int t = 0; t < instances; t++) {
            admittedPerInstance.add(pool.submit(() -> {
                int admitted = 0;
                try (DynamoDbClient ownClient = aws.newDynamoDb()) {
                    DynamoDbLimiter limiter = new DynamoDbLimiter(ownClient, table);
                    go.await();
                    while (next.getAndIncrement() < attempts) {
                        if (limiter.admit(List.of(new LimitCharge(hundred, "key_race", 1)), WINDOW_START)
                                instanceof AdmissionDecision.Admitted) {
                            admitted++;
                        }
                    }
                }
                return admitted;
            }));
        }
        go.countDown();
        int admitted = 0;
        for (Future<Integer> f : admittedPerInstance) {
            admitted += f.get();
        }
        pool.shutdown();
        assertThat(admitted).isEqualTo(100);
        try (DynamoDbClient dynamo = aws.newDynamoDb()) {
            assertThat(Long.parseLong(dynamo.getItem(b -> b.tableName(table).key(Map.of(DynamoDbLimiter.PK,
                    AttributeValue.fromS("race#key_race#" + hundred.windowIndex(WINDOW_START))))).item()
                    .get(DynamoDbLimiter.COUNT).n())).isEqualTo(100);
        }
    }

    private static long count(DynamoDbClient dynamo, String scope, Instant at) {
        return Long.parseLong(item(dynamo, scope, at).get(DynamoDbLimiter.COUNT).n());
    }

    private static Map<String, AttributeValue> item(DynamoDbClient dynamo, String scope, Instant at) {
        String key = DynamoDbLimiter.counterKey(new LimitCharge(TEN_PER_MINUTE, scope, 1), at);
        return dynamo.getItem(b -> b.tableName(table).key(Map.of(DynamoDbLimiter.PK, AttributeValue.fromS(key)))).item();
    }
}
