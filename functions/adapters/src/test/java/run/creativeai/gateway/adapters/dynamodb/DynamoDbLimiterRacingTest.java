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
import run.creativeai.gateway.limits.AdmissionDecision;
import run.creativeai.gateway.limits.LimitCharge;
import run.creativeai.gateway.limits.LimitState;
import run.creativeai.gateway.limits.RateLimitRule;
import run.creativeai.gateway.limits.RateLimitRule.CountedPer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Many ingress instances racing on one key, for every kind of window: 500 attempts from 16 threads,
 * each with its own SDK client and limiter (as separate Lambda instances have), admit exactly the
 * limit; the refused leave every counter as the admitted left it; and racing alone never refuses a
 * request that has room.
 */
@ExtendWith(AwsServices.class)
class DynamoDbLimiterRacingTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:30Z");
    private static final int INSTANCES = 16;
    private static final int ATTEMPTS = 500;

    private static AwsServices.Running aws;
    private static String table;

    @BeforeAll
    static void setUp(AwsServices.Running running) {
        aws = running;
        table = aws.newTable(DynamoDbLimiter.PK);
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
}
