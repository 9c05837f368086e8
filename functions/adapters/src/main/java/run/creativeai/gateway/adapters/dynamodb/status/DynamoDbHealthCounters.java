package run.creativeai.gateway.adapters.dynamodb.status;

import static run.creativeai.gateway.adapters.dynamodb.status.StatusTable.key;
import static run.creativeai.gateway.adapters.dynamodb.status.StatusTable.number;
import static run.creativeai.gateway.adapters.dynamodb.status.StatusTable.sortable;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import run.creativeai.gateway.status.HealthCounters;
import run.creativeai.gateway.status.HealthSignal;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * The per-minute counters in the status table: one item per signal and minute, added to with
 * {@code ADD} (no read, no condition, so any number of instances add at once), read back as one
 * BatchGetItem of the minutes of the window. They expire after two days.
 */
public final class DynamoDbHealthCounters implements HealthCounters {
    static final String TOTAL = "total";
    static final String FAILED = "failed";
    private static final Duration KEPT = Duration.ofDays(2);

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbHealthCounters(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    static String partition(HealthSignal signal) {
        return "tally#" + signal.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void add(HealthSignal signal, Instant minute, long total, long failed) {
        dynamo.updateItem(b -> b.tableName(table).key(key(partition(signal), sortable(minute)))
                .updateExpression("ADD #t :t, #f :f SET #exp = :exp")
                .expressionAttributeNames(Map.of("#t", TOTAL, "#f", FAILED, "#exp", StatusTable.EXPIRES_AT))
                .expressionAttributeValues(Map.of(":t", number(total), ":f", number(failed),
                        ":exp", StatusTable.expiry(minute.plus(KEPT)))));
    }

    @Override
    public Counts sum(HealthSignal signal, Instant from, Instant to) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (Instant minute = from; minute.isBefore(to); minute = minute.plus(Duration.ofMinutes(1))) {
            keys.add(key(partition(signal), sortable(minute)));
        }
        long total = 0;
        long failed = 0;
        for (int i = 0; i < keys.size(); i += 100) {
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder()
                    .keys(keys.subList(i, Math.min(keys.size(), i + 100))).build());
            while (!request.isEmpty()) {
                Map<String, KeysAndAttributes> ask = request;
                BatchGetItemResponse response = dynamo.batchGetItem(b -> b.requestItems(ask));
                for (Map<String, AttributeValue> item : response.responses().getOrDefault(table, List.of())) {
                    total += StatusTable.number(item, TOTAL);
                    failed += StatusTable.number(item, FAILED);
                }
                request = response.hasUnprocessedKeys() && !response.unprocessedKeys().isEmpty()
                        ? response.unprocessedKeys() : Map.of();
            }
        }
        return new Counts(total, failed);
    }
}
