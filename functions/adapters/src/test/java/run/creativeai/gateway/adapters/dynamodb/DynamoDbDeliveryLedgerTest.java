package run.creativeai.gateway.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.adapters.AwsServices;
import run.creativeai.gateway.webhook.DeliveryLedger.Claim;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ExtendWith(AwsServices.class)
class DynamoDbDeliveryLedgerTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static AwsServices.Running aws;
    private static String table;

    @BeforeAll
    static void setUp(AwsServices.Running running) {
        aws = running;
        table = aws.newTable(DynamoDbDeliveryLedger.EVENT_ID);
    }

    @Test
    void onlyOneAttemptHoldsAnEventAtATimeAndAnExpiredLeaseCanBeTakenOver() {
        try (DynamoDbClient dynamo = aws.newDynamoDb()) {
            DynamoDbDeliveryLedger ledger = new DynamoDbDeliveryLedger(dynamo, table);
            assertThat(ledger.claim("evt_lease", T0, LEASE)).isEqualTo(Claim.CLAIMED);
            assertThat(ledger.claim("evt_lease", T0.plusSeconds(10), LEASE)).isEqualTo(Claim.IN_FLIGHT);
            assertThat(ledger.claim("evt_lease", T0.plusSeconds(31), LEASE))
                    .as("the first holder died mid-delivery").isEqualTo(Claim.CLAIMED);
        }
    }

    @Test
    void aDeliveredEventStaysDeliveredForSevenDays() {
        try (DynamoDbClient dynamo = aws.newDynamoDb()) {
            DynamoDbDeliveryLedger ledger = new DynamoDbDeliveryLedger(dynamo, table);
            ledger.claim("evt_done", T0, LEASE);
            ledger.markDelivered("evt_done", T0.plusSeconds(1));
            assertThat(ledger.claim("evt_done", T0.plusSeconds(3600), LEASE)).isEqualTo(Claim.ALREADY_DELIVERED);
            ledger.release("evt_done");
            assertThat(ledger.claim("evt_done", T0.plusSeconds(7200), LEASE))
                    .as("a late release never undoes a delivery").isEqualTo(Claim.ALREADY_DELIVERED);
            Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                    .key(Map.of(DynamoDbDeliveryLedger.EVENT_ID, AttributeValue.fromS("evt_done")))).item();
            assertThat(Long.parseLong(item.get(DynamoDbDeliveryLedger.EXPIRES_AT).n()))
                    .isEqualTo(T0.plusSeconds(1).plus(Duration.ofDays(7)).getEpochSecond());
        }
    }

    @Test
    void aReleasedEventCanBeClaimedByTheNextScheduledAttempt() {
        try (DynamoDbClient dynamo = aws.newDynamoDb()) {
            DynamoDbDeliveryLedger ledger = new DynamoDbDeliveryLedger(dynamo, table);
            ledger.claim("evt_retry", T0, LEASE);
            ledger.release("evt_retry");
            assertThat(ledger.claim("evt_retry", T0.plusSeconds(5), LEASE)).isEqualTo(Claim.CLAIMED);
        }
    }
}
