package run.creativeai.gateway.adapters.dynamodb;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.concurrency.CountedPools;
import run.creativeai.gateway.concurrency.LapsingCount;
import run.creativeai.gateway.concurrency.SlotUsage;
import run.creativeai.gateway.concurrency.Tally;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Counted pools in the limit counters table. A pool is one item ({@code slots#<pool>}) holding a
 * number per class and lease-end bucket, {@code c#<class>#<bucket end, epoch seconds>}, changed by
 * {@code ADD}, so a write is as large as the live buckets, not the holders. Buckets that ended a
 * while ago are removed once the item holds a few of them (a count in an ended bucket counts for
 * nothing, so removing it is safe at any time; the margin keeps a bucket a skewed clock still sees
 * as live). A holder's tally is an item of its own ({@code slots#tally#<holder>}): its version
 * {@code v}, class {@code k}, and {@code t#<pool>} = the bucket end it counts in there; it expires
 * with the table's TTL a day after its last bucket.
 */
final class DynamoDbCountedPools implements CountedPools {
    private static final String COUNT = "c#";
    private static final String TALLY = "tally#";
    private static final String VERSION = "v";
    private static final String CLASS = "k";
    private static final String COUNTED_IN = "t#";
    private static final Duration RETENTION = Duration.ofDays(1);
    /** An ended bucket is removed only this long after its end, whatever a writer's clock says. */
    private static final Duration ENDED_MARGIN = Duration.ofSeconds(10);
    /** Ended buckets an item may carry before a writer that sees them removes them. */
    private static final int ENDED_KEPT = 4;

    private final DynamoDbClient dynamo;
    private final String table;

    DynamoDbCountedPools(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void count(String pool, List<LapsingCount> counts, Instant now) {
        Map<String, Long> deltas = new LinkedHashMap<>();
        counts.forEach(c -> deltas.merge(COUNT + c.holderClass() + "#" + c.until().getEpochSecond(), c.delta(), Long::sum));
        deltas.values().removeIf(d -> d == 0);
        if (deltas.isEmpty()) {
            return;
        }
        Map<String, String> names = new HashMap<>(Map.of("#exp", DynamoDbLimiter.EXPIRES_AT));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":exp",
                CounterUpdate.number(now.plus(RETENTION).getEpochSecond())));
        List<String> adds = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Long> delta : deltas.entrySet()) {
            names.put("#c" + i, delta.getKey());
            values.put(":d" + i, CounterUpdate.number(delta.getValue()));
            adds.add("#c" + i + " :d" + i);
            i++;
        }
        Map<String, AttributeValue> after = dynamo.updateItem(b -> b.tableName(table).key(key(pool))
                .updateExpression("SET #exp = :exp ADD " + String.join(", ", adds))
                .expressionAttributeNames(names).expressionAttributeValues(values)
                .returnValues(ReturnValue.ALL_NEW)).attributes();
        removeEnded(pool, after, now);
    }

    /** Removes the buckets that ended well before {@code now}, once the item carries more than a few. */
    private void removeEnded(String pool, Map<String, AttributeValue> item, Instant now) {
        Instant endedBefore = now.minus(ENDED_MARGIN);
        List<String> ended = new ArrayList<>();
        item.keySet().forEach(name -> bucketEnd(name).filter(end -> end.isBefore(endedBefore)).ifPresent(e -> ended.add(name)));
        if (ended.size() <= ENDED_KEPT) {
            return;
        }
        Map<String, String> names = new HashMap<>();
        List<String> removes = new ArrayList<>();
        for (int i = 0; i < ended.size(); i++) {
            names.put("#r" + i, ended.get(i));
            removes.add("#r" + i);
        }
        dynamo.updateItem(b -> b.tableName(table).key(key(pool)).updateExpression("REMOVE " + String.join(", ", removes))
                .expressionAttributeNames(names));
    }

    @Override
    public SlotUsage counted(String pool, Instant now) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(pool)).consistentRead(true))
                .item();
        Map<String, Long> byClass = new HashMap<>();
        (item == null ? Map.<String, AttributeValue>of() : item).forEach((name, value) -> bucketEnd(name)
                .filter(end -> end.isAfter(now))
                .ifPresent(end -> byClass.merge(bucketClass(name), Long.parseLong(value.n()), Long::sum)));
        byClass.replaceAll((c, n) -> Math.max(0, n));
        return new SlotUsage(byClass.values().stream().mapToLong(Long::longValue).sum(), byClass);
    }

    @Override
    public Optional<Tally> tally(String holder) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(tallyKey(holder))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Instant> countedUntil = new HashMap<>();
        item.forEach((name, value) -> {
            if (name.startsWith(COUNTED_IN)) {
                countedUntil.put(name.substring(COUNTED_IN.length()), Instant.ofEpochSecond(Long.parseLong(value.n())));
            }
        });
        return Optional.of(new Tally(holder, item.get(CLASS).s(), Long.parseLong(item.get(VERSION).n()), countedUntil));
    }

    @Override
    public boolean recordTally(Tally tally, long replacing) {
        Map<String, AttributeValue> item = new HashMap<>(tallyKey(tally.holder()));
        item.put(VERSION, CounterUpdate.number(tally.version()));
        item.put(CLASS, AttributeValue.fromS(tally.holderClass()));
        Instant last = Instant.EPOCH;
        for (Map.Entry<String, Instant> counted : tally.countedUntil().entrySet()) {
            item.put(COUNTED_IN + counted.getKey(), CounterUpdate.number(counted.getValue().getEpochSecond()));
            last = counted.getValue().isAfter(last) ? counted.getValue() : last;
        }
        item.put(DynamoDbLimiter.EXPIRES_AT, CounterUpdate.number(last.plus(RETENTION).getEpochSecond()));
        try {
            if (replacing == 0) {
                dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", DynamoDbLimiter.PK)));
            } else {
                dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("#v = :replacing")
                        .expressionAttributeNames(Map.of("#v", VERSION))
                        .expressionAttributeValues(Map.of(":replacing", CounterUpdate.number(replacing))));
            }
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public boolean forgetTally(String holder, long version) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(tallyKey(holder)).conditionExpression("#v = :version")
                    .expressionAttributeNames(Map.of("#v", VERSION))
                    .expressionAttributeValues(Map.of(":version", CounterUpdate.number(version))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** The end of the bucket an attribute counts, if it is a bucket's count. */
    private static Optional<Instant> bucketEnd(String attribute) {
        if (!attribute.startsWith(COUNT)) {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochSecond(Long.parseLong(attribute.substring(attribute.lastIndexOf('#') + 1))));
    }

    private static String bucketClass(String attribute) {
        return attribute.substring(COUNT.length(), attribute.lastIndexOf('#'));
    }

    private static Map<String, AttributeValue> key(String pool) {
        return Map.of(DynamoDbLimiter.PK, AttributeValue.fromS(DynamoDbSlotPool.PREFIX + pool));
    }

    private static Map<String, AttributeValue> tallyKey(String holder) {
        return key(TALLY + holder);
    }
}
