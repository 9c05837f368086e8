package run.creativeai.gateway.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.adapters.AwsServices;
import run.creativeai.gateway.limits.AdmissionDecision;
import run.creativeai.gateway.limits.LimitCharge;
import run.creativeai.gateway.limits.LimitState;
import run.creativeai.gateway.limits.RateLimitRule;
import run.creativeai.gateway.limits.RateLimitRule.CountedPer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Each seed's documented limit behaviour, decided by the DynamoDB limiter against DynamoDB Local, time given explicitly. */
@ExtendWith(AwsServices.class)
class DynamoDbLimiterTest {
    private static final Instant WINDOW_START = Instant.parse("2026-11-23T10:00:00Z");
    private static final RateLimitRule TEN_PER_MINUTE = RateLimitRule.fixed("plan_requests_per_minute", RateLimitRule.Unit.REQUESTS, 10,
            Duration.ofMinutes(1), CountedPer.KEY);
    private static final RateLimitRule THIRTY_PER_30_MINUTES = RateLimitRule.rolling("videos_per_30_minutes", RateLimitRule.Unit.VIDEOS,
            30, Duration.ofMinutes(30), CountedPer.KEY);
    private static final RateLimitRule FLUX_IMAGES = RateLimitRule.fixed("model.flux.images_per_minute", RateLimitRule.Unit.IMAGES, 10,
            Duration.ofMinutes(1), CountedPer.KEY);
    private static final RateLimitRule ORG_CREATES = RateLimitRule.fixed("create_requests_per_minute", RateLimitRule.Unit.REQUESTS, 30,
            Duration.ofMinutes(1), CountedPer.TENANT);
    private static final RateLimitRule DAILY = RateLimitRule.fixed("daily_tasks", RateLimitRule.Unit.TASKS, 3, Duration.ofDays(1),
            CountedPer.TENANT).asQuota();

    private static AwsServices.Running aws;
    private static String table;
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void setUp(AwsServices.Running running) {
        aws = running;
        table = aws.newTable(DynamoDbLimiter.PK);
        dynamo = aws.newDynamoDb();
    }

    private static String fresh(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    private static DynamoDbLimiter limiter() {
        return new DynamoDbLimiter(dynamo, table);
    }

    @Test
    void theEleventhRequestOfAFreeKeyInOneMinuteIsRefusedUntilTheMinuteEnds() {
        DynamoDbLimiter limiter = limiter();
        String key = fresh("key_");
        for (int i = 1; i <= 10; i++) {
            AdmissionDecision decision = limiter.admit(List.of(new LimitCharge(TEN_PER_MINUTE, key, 1)),
                    WINDOW_START.plusSeconds(i));
            assertThat(decision).isInstanceOf(AdmissionDecision.Admitted.class);
            assertThat(decision.tightest().remaining()).isEqualTo(10 - i);
        }
        AdmissionDecision eleventh = limiter.admit(List.of(new LimitCharge(TEN_PER_MINUTE, key, 1)),
                WINDOW_START.plusSeconds(30));
        assertThat(eleventh).isInstanceOf(AdmissionDecision.Refused.class);
        assertThat(eleventh.tightest().used()).isEqualTo(10);
        assertThat(eleventh.tightest().secondsUntilReset(WINDOW_START.plusSeconds(30))).isEqualTo(30);
        assertThat(limiter().admit(List.of(new LimitCharge(TEN_PER_MINUTE, key, 1)), WINDOW_START.plusSeconds(60)))
                .as("the first request of the next minute, seen by another instance").isInstanceOf(
                        AdmissionDecision.Admitted.class);
    }

    @Test
    void thirtyFirstVideoInRollingWindowIsRefusedUntilOldestExpiresAndAdmittedRightThen() {
        DynamoDbLimiter limiter = limiter();
        String key = fresh("key_");
        Instant first = WINDOW_START.plusMillis(250);
        for (int i = 0; i < 30; i++) {
            Instant at = first.plus(Duration.ofSeconds(40L * i));
            assertThat(limiter.admit(List.of(new LimitCharge(THIRTY_PER_30_MINUTES, key, 1)), at))
                    .as("video %d", i + 1).isInstanceOf(AdmissionDecision.Admitted.class);
        }
        Instant thirtyFirst = first.plus(Duration.ofMinutes(25));
        AdmissionDecision refused = limiter.admit(List.of(new LimitCharge(THIRTY_PER_30_MINUTES, key, 1)), thirtyFirst);
        assertThat(refused).isInstanceOf(AdmissionDecision.Refused.class);
        LimitState state = refused.tightest();
        assertThat(state.used()).isEqualTo(30);
        assertThat(state.resetAt()).as("the oldest counted video leaves the window").isEqualTo(
                first.plus(Duration.ofMinutes(30)));
        assertThat(state.secondsUntilReset(thirtyFirst)).as("reset_in_seconds").isEqualTo(300);

        Instant justBefore = first.plus(Duration.ofMinutes(30)).minusMillis(1);
        assertThat(limiter.admit(List.of(new LimitCharge(THIRTY_PER_30_MINUTES, key, 1)), justBefore))
                .isInstanceOf(AdmissionDecision.Refused.class);
        assertThat(limiter().admit(List.of(new LimitCharge(THIRTY_PER_30_MINUTES, key, 1)),
                first.plus(Duration.ofMinutes(30)))).as("one more, right when the oldest has left")
                .isInstanceOf(AdmissionDecision.Admitted.class);
        assertThat(limiter().admit(List.of(new LimitCharge(THIRTY_PER_30_MINUTES, key, 1)),
                first.plus(Duration.ofMinutes(30)).plusMillis(1))).as("but only one: the second oldest is still in")
                .isInstanceOf(AdmissionDecision.Refused.class);
    }

    @Test
    void imagesPerMinuteCountImagesNotRequests() {
        DynamoDbLimiter limiter = limiter();
        String key = fresh("key_");
        assertThat(limiter.admit(List.of(new LimitCharge(FLUX_IMAGES, key, 4)), WINDOW_START))
                .isInstanceOf(AdmissionDecision.Admitted.class);
        assertThat(limiter.admit(List.of(new LimitCharge(FLUX_IMAGES, key, 4)), WINDOW_START).tightest().remaining())
                .isEqualTo(2);
        AdmissionDecision third = limiter.admit(List.of(new LimitCharge(FLUX_IMAGES, key, 4)), WINDOW_START);
        assertThat(third).as("4 more images do not fit in the 2 left").isInstanceOf(AdmissionDecision.Refused.class);
        assertThat(limiter.admit(List.of(new LimitCharge(FLUX_IMAGES, key, 2)), WINDOW_START))
                .as("2 images still fit").isInstanceOf(AdmissionDecision.Admitted.class);
    }

    @Test
    void aRequestRefusedByOneRuleCountsOnNoneOfItsRulesAcrossKeyAndTenant() {
        String key = fresh("key_");
        String tenant = fresh("tenant-");
        List<LimitCharge> request = List.of(new LimitCharge(TEN_PER_MINUTE, key, 1),
                new LimitCharge(THIRTY_PER_30_MINUTES, key, 1), new LimitCharge(ORG_CREATES, tenant, 1),
                new LimitCharge(DAILY, tenant, 1));
        DynamoDbLimiter limiter = limiter();
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.admit(request, WINDOW_START.plusSeconds(i))).isInstanceOf(AdmissionDecision.Admitted.class);
        }
        AdmissionDecision fourth = limiter().admit(request, WINDOW_START.plusSeconds(5));
        assertThat(fourth).isInstanceOf(AdmissionDecision.Refused.class);
        assertThat(((AdmissionDecision.Refused) fourth).refusedBy().rule()).isEqualTo(DAILY);

        List<LimitState> after = limiter().peek(request, WINDOW_START.plusSeconds(6));
        assertThat(after).extracting(LimitState::used).as("every counter as three requests left it")
                .containsExactly(3L, 3L, 3L, 3L);
    }

    @Test
    void ofSeveralRefusingRulesTheOneThatFreesLastIsReportedSoRetryAfterWorks() {
        String key = fresh("key_");
        RateLimitRule onePerMinute = RateLimitRule.fixed("video_requests_per_minute", RateLimitRule.Unit.REQUESTS, 1,
                Duration.ofMinutes(1), CountedPer.KEY);
        RateLimitRule onePerDay = RateLimitRule.fixed("videos_per_day", RateLimitRule.Unit.VIDEOS, 1, Duration.ofDays(1), CountedPer.KEY);
        List<LimitCharge> request = List.of(new LimitCharge(onePerMinute, key, 1), new LimitCharge(onePerDay, key, 1));
        limiter().admit(request, WINDOW_START);
        AdmissionDecision.Refused refused = (AdmissionDecision.Refused) limiter().admit(request, WINDOW_START.plusSeconds(1));
        assertThat(refused.refusedBy().rule()).isEqualTo(onePerDay);
    }

    @Test
    void everyCounterItemCarriesAnExpiryADayAndAnHourAfterItsLastWrite() {
        String key = fresh("key_");
        String tenant = fresh("tenant-");
        limiter().admit(List.of(new LimitCharge(TEN_PER_MINUTE, key, 1), new LimitCharge(ORG_CREATES, tenant, 1)),
                WINDOW_START);
        for (String item : List.of("key#" + key, "tenant#" + tenant)) {
            Map<String, AttributeValue> stored = dynamo.getItem(b -> b.tableName(table)
                    .key(Map.of(DynamoDbLimiter.PK, AttributeValue.fromS(item)))).item();
            assertThat(Long.parseLong(stored.get(DynamoDbLimiter.EXPIRES_AT).n())).as(item)
                    .isEqualTo(WINDOW_START.plus(Duration.ofHours(25)).getEpochSecond());
        }
    }

    @Test
    void aCountOfAPreviousWindowNeverCountsInTheNext() {
        String key = fresh("key_");
        DynamoDbLimiter limiter = limiter();
        for (int i = 0; i < 10; i++) {
            limiter.admit(List.of(new LimitCharge(TEN_PER_MINUTE, key, 1)), WINDOW_START);
        }
        AdmissionDecision later = limiter().admit(List.of(new LimitCharge(TEN_PER_MINUTE, key, 1)),
                WINDOW_START.plus(Duration.ofMinutes(7)));
        assertThat(later.tightest().used()).isEqualTo(1);
    }
}
