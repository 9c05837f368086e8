package run.creativeai.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;

/**
 * Counts reads and writes per DynamoDB item (table and key) and messages per SQS queue, second by
 * second, for the scale benchmark: an AWS SDK interceptor registered for every client in the test JVM
 * through the SDK's global interceptor file (test resources only, so no function jar has it), inert
 * until {@link #start} and after {@link #stop}.
 *
 * <p>Units are DynamoDB's: a write is the larger of the item's size before and after, rounded up to
 * 1 KB, a read 4 KB (half that when eventually consistent); a transactional write costs twice, a
 * transactional read twice. Per call the item's units are the table's part of the consumed capacity
 * DynamoDB Local reports (it sizes items as DynamoDB does); a transaction reports per table, so its
 * units are split evenly over its items in that table. A refused conditional write is billed by
 * DynamoDB as a write of the item but reported with no capacity: it is counted at the item's last
 * measured write units (1 for an item not yet measured), twice in a transaction.
 */
public final class ItemTrafficMeter implements ExecutionInterceptor {
    /** What one item or queue saw in one second. */
    static final class Second {
        final LongAdder reads = new LongAdder();
        final LongAdder writes = new LongAdder();
        final LongAdder refused = new LongAdder();
        final DoubleAdder readUnits = new DoubleAdder();
        final DoubleAdder writeUnits = new DoubleAdder();
        /** SQS: messages sent to the queue, received from it, and requests made to it. */
        final LongAdder sent = new LongAdder();
        final LongAdder received = new LongAdder();
        final LongAdder requests = new LongAdder();
    }

    /** Everything one item (or queue) saw, by epoch second. */
    static final class Traffic {
        final Map<Long, Second> seconds = new ConcurrentHashMap<>();

        Second at(long second) {
            return seconds.computeIfAbsent(second, s -> new Second());
        }
    }

    private static volatile boolean enabled;
    private static final Map<String, Traffic> ITEMS = new ConcurrentHashMap<>();
    private static final Map<String, Traffic> QUEUES = new ConcurrentHashMap<>();
    /** An item's last measured write units: the price of a refused conditional write on it. */
    private static final Map<String, Double> LAST_WRITE_UNITS = new ConcurrentHashMap<>();

    /** Clears every count and starts counting. */
    static void start() {
        ITEMS.clear();
        QUEUES.clear();
        LAST_WRITE_UNITS.clear();
        enabled = true;
    }

    static void stop() {
        enabled = false;
    }

    /** Every item seen, "table key", with its seconds. */
    static Map<String, Traffic> items() {
        return new TreeMap<>(ITEMS);
    }

    /** Every queue seen, by name. */
    static Map<String, Traffic> queues() {
        return new TreeMap<>(QUEUES);
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        if (!enabled) {
            return context.request();
        }
        SdkRequest request = context.request();
        ReturnConsumedCapacity indexes = ReturnConsumedCapacity.INDEXES;
        if (request instanceof UpdateItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(indexes).build();
        } else if (request instanceof PutItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(indexes).build();
        } else if (request instanceof GetItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(indexes).build();
        } else if (request instanceof DeleteItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(indexes).build();
        } else if (request instanceof TransactWriteItemsRequest r) {
            return r.toBuilder().returnConsumedCapacity(indexes).build();
        } else if (request instanceof BatchGetItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(indexes).build();
        } else if (request instanceof QueryRequest r) {
            return r.toBuilder().returnConsumedCapacity(indexes).build();
        }
        return request;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (!enabled) {
            return;
        }
        long now = System.currentTimeMillis() / 1000;
        SdkRequest request = context.request();
        Object response = context.response();
        if (request instanceof UpdateItemRequest r && response instanceof UpdateItemResponse s) {
            write(item(r.tableName(), r.key()), tableUnits(s.consumedCapacity()), now);
        } else if (request instanceof PutItemRequest r && response instanceof PutItemResponse s) {
            write(item(r.tableName(), keyOf(r.tableName(), r.item())), tableUnits(s.consumedCapacity()), now);
        } else if (request instanceof DeleteItemRequest r && response instanceof DeleteItemResponse s) {
            write(item(r.tableName(), r.key()), tableUnits(s.consumedCapacity()), now);
        } else if (request instanceof GetItemRequest r && response instanceof GetItemResponse s) {
            read(item(r.tableName(), r.key()), tableUnits(s.consumedCapacity()), now);
        } else if (request instanceof QueryRequest r && response instanceof QueryResponse s) {
            read(query(r), tableUnits(s.consumedCapacity()), now);
        } else if (request instanceof BatchGetItemRequest r && response instanceof BatchGetItemResponse s) {
            Map<String, Double> units = s.consumedCapacity().stream()
                    .collect(Collectors.toMap(ConsumedCapacity::tableName, ItemTrafficMeter::tableUnits, Double::sum));
            r.requestItems().forEach((table, keys) -> keys.keys().forEach(key -> read(item(table, key),
                    units.getOrDefault(table, 0.0) / keys.keys().size(), now)));
        } else if (request instanceof TransactWriteItemsRequest r && response instanceof TransactWriteItemsResponse s) {
            Map<String, Double> units = s.consumedCapacity().stream()
                    .collect(Collectors.toMap(ConsumedCapacity::tableName, ItemTrafficMeter::tableUnits, Double::sum));
            List<String[]> items = transactionItems(r);
            Map<String, Long> perTable = items.stream().collect(Collectors.groupingBy(i -> i[0], Collectors.counting()));
            for (String[] i : items) {
                double share = units.getOrDefault(i[0], 0.0) / perTable.get(i[0]);
                write(i[1], share, now);
                LAST_WRITE_UNITS.put(i[1], share / 2);
            }
        } else if (response instanceof ReceiveMessageResponse s) {
            Second q = queue(attributes, request).at(now);
            q.requests.increment();
            q.received.add(s.messages().size());
        } else if (isSqs(attributes)) {
            Second q = queue(attributes, request).at(now);
            q.requests.increment();
            String operation = operation(attributes);
            if ("SendMessage".equals(operation)) {
                q.sent.increment();
            } else if (request instanceof SendMessageBatchRequest b) {
                q.sent.add(b.entries().size());
            } else if (request instanceof DeleteMessageBatchRequest || request instanceof ChangeMessageVisibilityBatchRequest) {
                // One request for the batch, counted above.
                return;
            }
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (!enabled) {
            return;
        }
        long now = System.currentTimeMillis() / 1000;
        SdkRequest request = context.request();
        if (request instanceof UpdateItemRequest r) {
            refused(item(r.tableName(), r.key()), 1, now);
        } else if (request instanceof PutItemRequest r) {
            refused(item(r.tableName(), keyOf(r.tableName(), r.item())), 1, now);
        } else if (request instanceof DeleteItemRequest r) {
            refused(item(r.tableName(), r.key()), 1, now);
        } else if (request instanceof TransactWriteItemsRequest r) {
            transactionItems(r).forEach(i -> refused(i[1], 2, now));
        } else if (isSqs(attributes)) {
            queue(attributes, request).at(now).requests.increment();
        }
    }

    private static void write(String item, double units, long now) {
        Second s = ITEMS.computeIfAbsent(item, k -> new Traffic()).at(now);
        s.writes.increment();
        s.writeUnits.add(units);
        if (units > 0) {
            LAST_WRITE_UNITS.put(item, units);
        }
    }

    private static void refused(String item, int factor, long now) {
        Second s = ITEMS.computeIfAbsent(item, k -> new Traffic()).at(now);
        s.writes.increment();
        s.refused.increment();
        s.writeUnits.add(factor * LAST_WRITE_UNITS.getOrDefault(item, 1.0));
    }

    private static void read(String item, double units, long now) {
        Second s = ITEMS.computeIfAbsent(item, k -> new Traffic()).at(now);
        s.reads.increment();
        s.readUnits.add(units);
    }

    /** Table and key of every item a transaction writes or checks, as {table, item}. */
    private static List<String[]> transactionItems(TransactWriteItemsRequest r) {
        List<String[]> out = new ArrayList<>();
        for (TransactWriteItem t : r.transactItems()) {
            if (t.update() != null) {
                out.add(new String[] {t.update().tableName(), item(t.update().tableName(), t.update().key())});
            } else if (t.put() != null) {
                out.add(new String[] {t.put().tableName(), item(t.put().tableName(), keyOf(t.put().tableName(), t.put().item()))});
            } else if (t.delete() != null) {
                out.add(new String[] {t.delete().tableName(), item(t.delete().tableName(), t.delete().key())});
            } else if (t.conditionCheck() != null) {
                out.add(new String[] {t.conditionCheck().tableName(),
                        item(t.conditionCheck().tableName(), t.conditionCheck().key())});
            }
        }
        return out;
    }

    /** The table part of the consumed capacity (a global secondary index's writes go to its own partitions). */
    private static double tableUnits(ConsumedCapacity c) {
        if (c == null) {
            return 0;
        }
        if (c.table() != null && c.table().capacityUnits() != null) {
            return c.table().capacityUnits();
        }
        return c.capacityUnits() == null ? 0 : c.capacityUnits();
    }

    /** The key schemas of the template's tables, by the attributes an item carries (pk first: a key item also has tenant_id). */
    private static final List<List<String>> KEY_SCHEMAS = List.of(List.of("pk", "sk"), List.of("job_id"),
            List.of("event_id"), List.of("upload_id"), List.of("provider"), List.of("tenant_id", "idempotency_key"));

    private static Map<String, AttributeValue> keyOf(String table, Map<String, AttributeValue> item) {
        for (List<String> schema : KEY_SCHEMAS) {
            if (item.containsKey(schema.get(0))) {
                Map<String, AttributeValue> key = new TreeMap<>();
                schema.stream().filter(item::containsKey).forEach(name -> key.put(name, item.get(name)));
                return key;
            }
        }
        return Map.of("?", AttributeValue.fromS("?"));
    }

    static String item(String table, Map<String, AttributeValue> key) {
        return shortTable(table) + " " + new TreeMap<>(key).values().stream().map(ItemTrafficMeter::text)
                .collect(Collectors.joining(" / "));
    }

    private static String query(QueryRequest r) {
        String partition = r.expressionAttributeValues() == null ? "?" : r.expressionAttributeValues().values().stream()
                .findFirst().map(ItemTrafficMeter::text).orElse("?");
        return shortTable(r.tableName()) + (r.indexName() == null ? "" : "." + r.indexName()) + " query " + partition;
    }

    private static String text(AttributeValue v) {
        return v.s() != null ? v.s() : v.n() != null ? v.n() : String.valueOf(v);
    }

    /** "creativeai-local-JobsTable-1a2b" -> "JobsTable". */
    static String shortTable(String table) {
        for (String part : table.split("-")) {
            if (part.endsWith("Table")) {
                return part;
            }
        }
        return table;
    }

    private static boolean isSqs(ExecutionAttributes attributes) {
        return "Sqs".equalsIgnoreCase(String.valueOf(attributes.getAttribute(
                software.amazon.awssdk.core.interceptor.SdkExecutionAttribute.SERVICE_NAME)));
    }

    private static String operation(ExecutionAttributes attributes) {
        return attributes.getAttribute(software.amazon.awssdk.core.interceptor.SdkExecutionAttribute.OPERATION_NAME);
    }

    private static Traffic queue(ExecutionAttributes attributes, SdkRequest request) {
        String url = request.getValueForField("QueueUrl", String.class).orElse("?");
        String name = url.substring(url.lastIndexOf('/') + 1);
        return QUEUES.computeIfAbsent(name, k -> new Traffic());
    }
}
