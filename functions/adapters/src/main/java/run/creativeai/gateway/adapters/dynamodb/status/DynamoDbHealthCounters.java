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
 * The per-minute counters in the status table: one item per signal, minute and shard, added to with
 * {@code ADD} (no read, no condition, so any number of instances add at once), read back as
 * BatchGetItem of every shard's minutes of the window. They expire after two days.
 *
 * <p>Sharded: every function instance adds its counts (once per 10 s, and when its minute ends) to
 * one of its signal's partitions ({@link #shards}), picked when it starts, so a thousand instances
 * turning the minute at once spread their writes instead of sending them all to one partition, which
 * takes at most 1,000 a second. Any pick is correct, since a sum reads them all. A signal is split as
 * far as its writers need, no further: the status function reads every shard of every minute of its
 * window on each run, and DynamoDB Local answers a batch in time proportional to its keys.
 */
public final class DynamoDbHealthCounters implements HealthCounters {
    static final String TOTAL = "total";
    static final String FAILED = "failed";
    /** The most shards a signal has: the API's, whose writers are every API instance of the account. */
    static final int SHARDS = 16;
    private static final Duration KEPT = Duration.ofDays(2);

    private final DynamoDbClient dynamo;
    private final String table;
    private final int shard;

    public DynamoDbHealthCounters(DynamoDbClient dynamo, String table) {
        this(dynamo, table, java.util.concurrent.ThreadLocalRandom.current().nextInt(SHARDS));
    }

    /** @param shard the partition this instance adds to, from 0 to {@value #SHARDS} - 1 */
    DynamoDbHealthCounters(DynamoDbClient dynamo, String table, int shard) {
        if (shard < 0 || shard >= SHARDS) {
            throw new IllegalArgumentException("a counter shard is from 0 to " + (SHARDS - 1) + ", not " + shard);
        }
        this.dynamo = dynamo;
        this.table = table;
        this.shard = shard;
    }

    /**
     * How many partitions a signal's counters are split over. The API's answers are counted by every
     * API instance (the account's 1,000, more at seed scale): 16, at most about 63 writes a second each
     * when they all turn the minute at once. Webhook attempts are counted by the webhook function,
     * whose queue mapping runs at most 20 at once ({@code MaximumConcurrency} in template.yaml, which
     * {@code OperationsTemplateTest} holds to this split): one partition takes their 20 writes a second
     * many times over, and a status run reads 5 keys for them instead of 80.
     */
    public static int shards(HealthSignal signal) {
        return switch (signal) {
            case API_REQUESTS -> SHARDS;
            case WEBHOOK_ATTEMPTS -> 1;
        };
    }

    /** The partition of one shard of a signal's counters; the first keeps the unsharded name. */
    static String partition(HealthSignal signal, int shard) {
        return "tally#" + signal.name().toLowerCase(Locale.ROOT) + (shard == 0 ? "" : "#" + shard);
    }

    @Override
    public void add(HealthSignal signal, Instant minute, long total, long failed) {
        String partition = partition(signal, shard % shards(signal));
        dynamo.updateItem(b -> b.tableName(table).key(key(partition, sortable(minute)))
                .updateExpression("ADD #t :t, #f :f SET #exp = :exp")
                .expressionAttributeNames(Map.of("#t", TOTAL, "#f", FAILED, "#exp", StatusTable.EXPIRES_AT))
                .expressionAttributeValues(Map.of(":t", number(total), ":f", number(failed),
                        ":exp", StatusTable.expiry(minute.plus(KEPT)))));
    }

    @Override
    public Counts sum(HealthSignal signal, Instant from, Instant to) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (Instant minute = from; minute.isBefore(to); minute = minute.plus(Duration.ofMinutes(1))) {
            for (int s = 0; s < shards(signal); s++) {
                keys.add(key(partition(signal, s), sortable(minute)));
            }
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
