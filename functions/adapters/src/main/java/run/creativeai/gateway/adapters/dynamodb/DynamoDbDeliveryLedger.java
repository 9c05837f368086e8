package run.creativeai.gateway.adapters.dynamodb;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import run.creativeai.gateway.webhook.DeliveryLedger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The webhook dedup table: one item per event id, {@code in_flight} with a lease while an attempt
 * runs, {@code delivered} for seven days after a 2xx (seed 000's dedup window, by TTL).
 */
public final class DynamoDbDeliveryLedger implements DeliveryLedger {
    static final String EVENT_ID = "event_id";
    static final String STATE = "state";
    static final String LEASE_UNTIL = "lease_until";
    static final String EXPIRES_AT = "expires_at";
    static final Duration DEDUP_WINDOW = Duration.ofDays(7);

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbDeliveryLedger(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Claim claim(String eventId, Instant now, Duration lease) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(key(eventId))
                    .updateExpression("SET #s = :flight, #lease = :until, #exp = :exp")
                    .conditionExpression("attribute_not_exists(#s) OR (#s = :flight AND #lease < :now)")
                    .expressionAttributeNames(Map.of("#s", STATE, "#lease", LEASE_UNTIL, "#exp", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(
                            ":flight", AttributeValue.fromS("in_flight"),
                            ":until", AttributeValue.fromN(Long.toString(now.plus(lease).toEpochMilli())),
                            ":now", AttributeValue.fromN(Long.toString(now.toEpochMilli())),
                            ":exp", AttributeValue.fromN(Long.toString(now.plus(DEDUP_WINDOW).getEpochSecond()))))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return Claim.CLAIMED;
        } catch (ConditionalCheckFailedException e) {
            boolean delivered = e.hasItem() && e.item().containsKey(STATE) && "delivered".equals(e.item().get(STATE).s());
            return delivered ? Claim.ALREADY_DELIVERED : Claim.IN_FLIGHT;
        }
    }

    @Override
    public void markDelivered(String eventId, Instant now) {
        dynamo.updateItem(b -> b.tableName(table)
                .key(key(eventId))
                .updateExpression("SET #s = :delivered, #exp = :exp REMOVE #lease")
                .expressionAttributeNames(Map.of("#s", STATE, "#lease", LEASE_UNTIL, "#exp", EXPIRES_AT))
                .expressionAttributeValues(Map.of(
                        ":delivered", AttributeValue.fromS("delivered"),
                        ":exp", AttributeValue.fromN(Long.toString(now.plus(DEDUP_WINDOW).getEpochSecond())))));
    }

    @Override
    public void release(String eventId) {
        try {
            dynamo.deleteItem(b -> b.tableName(table)
                    .key(key(eventId))
                    .conditionExpression("#s = :flight")
                    .expressionAttributeNames(Map.of("#s", STATE))
                    .expressionAttributeValues(Map.of(":flight", AttributeValue.fromS("in_flight"))));
        } catch (ConditionalCheckFailedException e) {
            // Delivered meanwhile by another attempt: the record stays.
        }
    }

    private static Map<String, AttributeValue> key(String eventId) {
        return Map.of(EVENT_ID, AttributeValue.fromS(eventId));
    }
}
