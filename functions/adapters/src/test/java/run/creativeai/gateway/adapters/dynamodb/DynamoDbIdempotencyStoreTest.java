package run.creativeai.gateway.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.adapters.AwsServices;
import run.creativeai.gateway.adapters.InstanceRace;
import run.creativeai.gateway.idempotency.IdempotencyKey;
import run.creativeai.gateway.idempotency.IdempotencyStore.Claimed;
import run.creativeai.gateway.idempotency.IdempotencyStore.Held;
import run.creativeai.gateway.idempotency.StoredResponse;
import run.creativeai.gateway.tenant.TenantId;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Idempotency keys in DynamoDB Local: one claim wins a race, expiries free keys, responses come back whole. */
@ExtendWith(AwsServices.class)
class DynamoDbIdempotencyStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Instant UNTIL = T0.plusSeconds(60);
    private static final Instant EXPIRES = T0.plus(Duration.ofHours(24));
    private static AwsServices.Running aws;
    private static String table;

    @BeforeAll
    static void setUp(AwsServices.Running running) {
        aws = running;
        table = "test-" + UUID.randomUUID();
        try (DynamoDbClient dynamo = aws.newDynamoDb()) {
            dynamo.createTable(b -> b.tableName(table)
                    .keySchema(k -> k.attributeName(DynamoDbIdempotencyStore.TENANT_ID).keyType(KeyType.HASH),
                            k -> k.attributeName(DynamoDbIdempotencyStore.KEY).keyType(KeyType.RANGE))
                    .attributeDefinitions(
                            a -> a.attributeName(DynamoDbIdempotencyStore.TENANT_ID).attributeType(ScalarAttributeType.S),
                            a -> a.attributeName(DynamoDbIdempotencyStore.KEY).attributeType(ScalarAttributeType.S))
                    .billingMode(BillingMode.PAY_PER_REQUEST));
        }
    }

    private static IdempotencyKey key(String value) {
        return new IdempotencyKey(new TenantId("acme"), value);
    }

    @Test
    void ofInstancesRacingWithOneKeyExactlyOneClaimsIt() throws Exception {
        IdempotencyKey key = key("race-" + UUID.randomUUID());
        int claimed = InstanceRace.run(aws, 8, 40, dynamo -> {
            DynamoDbIdempotencyStore store = new DynamoDbIdempotencyStore(dynamo, table);
            return i -> store.claim(key, "fp", "claim-" + i, T0, UNTIL, EXPIRES) instanceof Claimed;
        });
        assertThat(claimed).isEqualTo(1);
    }

    @Test
    void aCompletedKeyHoldsItsResponseAndItsExpiryForTtl() {
        try (DynamoDbClient dynamo = aws.newDynamoDb()) {
            DynamoDbIdempotencyStore store = new DynamoDbIdempotencyStore(dynamo, table);
            IdempotencyKey key = key("done");
            assertThat(store.claim(key, "fp-1", "c1", T0, UNTIL, EXPIRES)).isInstanceOf(Claimed.class);
            assertThat(store.claim(key, "fp-1", "c2", T0.plusSeconds(1), UNTIL, EXPIRES))
                    .isEqualTo(new Held("fp-1", java.util.Optional.empty()));
            StoredResponse response = new StoredResponse(202, Map.of("Location", "/v1/generations/gen_1"), "{\"id\":\"gen_1\"}");
            assertThat(store.complete(key, "c1", response, EXPIRES)).isTrue();

            assertThat(store.claim(key, "fp-1", "c3", T0.plusSeconds(3600), UNTIL, EXPIRES))
                    .isEqualTo(new Held("fp-1", java.util.Optional.of(response)));
            Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(Map.of(
                    DynamoDbIdempotencyStore.TENANT_ID, AttributeValue.fromS("acme"),
                    DynamoDbIdempotencyStore.KEY, AttributeValue.fromS("done")))).item();
            assertThat(Long.parseLong(item.get(DynamoDbIdempotencyStore.EXPIRES_AT).n())).isEqualTo(EXPIRES.getEpochSecond());
        }
    }

    @Test
    void anInProgressClaimPastItsDeadlineIsTakenOverAndItsOwnerCanNoLongerCompleteIt() {
        try (DynamoDbClient dynamo = aws.newDynamoDb()) {
            DynamoDbIdempotencyStore store = new DynamoDbIdempotencyStore(dynamo, table);
            IdempotencyKey key = key("died");
            store.claim(key, "fp", "dead", T0, UNTIL, EXPIRES);
            assertThat(store.claim(key, "fp", "early", UNTIL.minusMillis(1), UNTIL.plusSeconds(60), EXPIRES))
                    .isInstanceOf(Held.class);
            assertThat(store.claim(key, "fp", "retry", UNTIL, UNTIL.plusSeconds(60), EXPIRES)).isInstanceOf(Claimed.class);
            assertThat(store.complete(key, "dead", new StoredResponse(202, Map.of(), "{}"), EXPIRES))
                    .as("the late original does not overwrite the retry's claim").isFalse();
            store.release(key, "dead");
            assertThat(store.claim(key, "fp", "third", UNTIL.plusSeconds(1), UNTIL.plusSeconds(60), EXPIRES))
                    .as("a late release leaves the retry's claim alone").isInstanceOf(Held.class);
        }
    }

    @Test
    void aReleasedOrExpiredKeyIsFreeAgain() {
        try (DynamoDbClient dynamo = aws.newDynamoDb()) {
            DynamoDbIdempotencyStore store = new DynamoDbIdempotencyStore(dynamo, table);
            IdempotencyKey released = key("released");
            store.claim(released, "fp", "c1", T0, UNTIL, EXPIRES);
            store.release(released, "c1");
            assertThat(store.claim(released, "other", "c2", T0.plusSeconds(1), UNTIL, EXPIRES)).isInstanceOf(Claimed.class);

            IdempotencyKey old = key("old");
            store.claim(old, "fp", "c1", T0, UNTIL, EXPIRES);
            store.complete(old, "c1", new StoredResponse(202, Map.of(), "{}"), EXPIRES);
            assertThat(store.claim(old, "other", "c2", EXPIRES, EXPIRES.plusSeconds(60), EXPIRES.plus(Duration.ofHours(24))))
                    .as("past its 24 hours, before TTL removed it").isInstanceOf(Claimed.class);
        }
    }
}
