package run.creativeai.gateway.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.adapters.AwsServices;
import run.creativeai.gateway.limits.LimitCharge;
import run.creativeai.gateway.limits.RateLimitRule;
import run.creativeai.gateway.limits.RateLimitRule.CountedPer;
import run.creativeai.gateway.testing.ReferenceLimiter;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Two instances taking turns on the same key and tenant report the counts one instance alone would. */
@ExtendWith(AwsServices.class)
class DynamoDbLimiterInstancesTest {
    private static final Instant NOW = Instant.parse("2026-11-23T23:58:00Z");
    private static final RateLimitRule PER_MINUTE = RateLimitRule.fixed("per_minute", RateLimitRule.Unit.REQUESTS, 5,
            Duration.ofMinutes(1), CountedPer.KEY);
    private static final RateLimitRule IMAGES = RateLimitRule.fixed("images_per_minute", RateLimitRule.Unit.IMAGES, 7,
            Duration.ofMinutes(1), CountedPer.KEY);
    private static final RateLimitRule ORG = RateLimitRule.fixed("org_per_minute", RateLimitRule.Unit.REQUESTS, 8,
            Duration.ofMinutes(1), CountedPer.TENANT);

    private static DynamoDbClient dynamo;
    private static String table;

    @BeforeAll
    static void setUp(AwsServices.Running aws) {
        table = aws.newTable(DynamoDbLimiter.PK);
        dynamo = aws.newDynamoDb();
    }

    @Test
    void countsAfterATransactionOnItemsAnotherInstanceChangedAreExact() {
        String key = "key_" + UUID.randomUUID().toString().substring(0, 8);
        String tenant = "tenant-" + UUID.randomUUID().toString().substring(0, 8);
        List<List<LimitCharge>> steps = List.of(
                List.of(new LimitCharge(PER_MINUTE, key, 1)),
                List.of(new LimitCharge(PER_MINUTE, key, 1), new LimitCharge(IMAGES, key, 1),
                        new LimitCharge(ORG, tenant, 1)),
                List.of(new LimitCharge(IMAGES, key, 1)),
                List.of(new LimitCharge(PER_MINUTE, key, 1), new LimitCharge(IMAGES, key, 1),
                        new LimitCharge(ORG, tenant, 1)),
                List.of(new LimitCharge(PER_MINUTE, key, 1)));
        List<DynamoDbLimiter> instances = List.of(new DynamoDbLimiter(dynamo, table), new DynamoDbLimiter(dynamo, table));
        ReferenceLimiter reference = new ReferenceLimiter();
        for (int i = 0; i < steps.size(); i++) {
            assertThat(instances.get(i % 2).admit(steps.get(i), NOW).states()).as("step %d", i + 1)
                    .isEqualTo(reference.admit(steps.get(i), NOW).states());
        }
    }
}
