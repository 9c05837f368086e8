package run.creativeai.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The candidate designs for deciding several fixed-window rules at once, reduced to what they cost:
 * each counts one request against {@code rules} counters with the given limit, all or nothing.
 * The rolling-window ring and the chosen design are measured through the production limiter.
 */
final class Designs {
    private Designs() {
    }

    /** Decides one request; true when admitted. */
    interface Admitter {
        boolean admit(String key);
    }

    /** All counters as attributes of one item, one conditional UpdateItem (the chosen design for one owner). */
    static Admitter singleItem(DynamoDbClient dynamo, String table, int rules, long limit) {
        return key -> {
            StringBuilder add = new StringBuilder("ADD ");
            StringBuilder condition = new StringBuilder();
            Map<String, String> names = new java.util.HashMap<>();
            for (int i = 0; i < rules; i++) {
                names.put("#c" + i, "c" + i);
                add.append(i == 0 ? "" : ", ").append("#c").append(i).append(" :one");
                condition.append(i == 0 ? "" : " AND ").append("(attribute_not_exists(#c").append(i)
                        .append(") OR #c").append(i).append(" < :max)");
            }
            try {
                dynamo.updateItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("single#" + key)))
                        .updateExpression(add.toString()).conditionExpression(condition.toString())
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(Map.of(":one", n(1), ":max", n(limit))));
                return true;
            } catch (ConditionalCheckFailedException e) {
                return false;
            }
        };
    }

    /** One item per rule, one TransactWriteItems of conditional ADDs across them. */
    static Admitter transaction(DynamoDbClient dynamo, String table, int rules, long limit) {
        return key -> {
            List<TransactWriteItem> writes = new ArrayList<>();
            for (int i = 0; i < rules; i++) {
                writes.add(TransactWriteItem.builder().update(counter(table, "tx" + i + "#" + key, limit)).build());
            }
            try {
                dynamo.transactWriteItems(b -> b.transactItems(writes));
                return true;
            } catch (TransactionCanceledException e) {
                return false;
            }
        };
    }

    /** One item per rule, a conditional UpdateItem each in turn; on a refusal the earlier ones are taken back. */
    static Admitter compensation(DynamoDbClient dynamo, String table, int rules, long limit) {
        return key -> {
            for (int i = 0; i < rules; i++) {
                Update u = counter(table, "comp" + i + "#" + key, limit);
                try {
                    dynamo.updateItem(b -> b.tableName(table).key(u.key()).updateExpression(u.updateExpression())
                            .conditionExpression(u.conditionExpression())
                            .expressionAttributeNames(u.expressionAttributeNames())
                            .expressionAttributeValues(u.expressionAttributeValues()));
                } catch (ConditionalCheckFailedException e) {
                    for (int j = 0; j < i; j++) {
                        String item = "comp" + j + "#" + key;
                        dynamo.updateItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(item)))
                                .updateExpression("ADD #c :minus").expressionAttributeNames(Map.of("#c", "c"))
                                .expressionAttributeValues(Map.of(":minus", n(-1))));
                    }
                    return false;
                }
            }
            return true;
        };
    }

    /** The naive limiter: read the count, and if it is under the limit write count + 1. Races over-admit. */
    static Admitter readThenWrite(DynamoDbClient dynamo, String table, long limit) {
        return key -> {
            Map<String, AttributeValue> itemKey = Map.of("pk", AttributeValue.fromS("naive#" + key));
            Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(itemKey).consistentRead(true))
                    .item();
            long count = item == null || !item.containsKey("c") ? 0 : Long.parseLong(item.get("c").n());
            if (count >= limit) {
                return false;
            }
            dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", itemKey.get("pk"), "c", n(count + 1))));
            return true;
        };
    }

    private static Update counter(String table, String item, long limit) {
        return Update.builder().tableName(table).key(Map.of("pk", AttributeValue.fromS(item)))
                .updateExpression("ADD #c :one").conditionExpression("attribute_not_exists(#c) OR #c < :max")
                .expressionAttributeNames(Map.of("#c", "c"))
                .expressionAttributeValues(Map.of(":one", n(1), ":max", n(limit))).build();
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
