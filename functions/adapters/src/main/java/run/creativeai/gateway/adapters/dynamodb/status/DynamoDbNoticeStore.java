package run.creativeai.gateway.adapters.dynamodb.status;

import static run.creativeai.gateway.adapters.dynamodb.status.StatusTable.DOCUMENT;
import static run.creativeai.gateway.adapters.dynamodb.status.StatusTable.PK;
import static run.creativeai.gateway.adapters.dynamodb.status.StatusTable.SK;
import static run.creativeai.gateway.adapters.dynamodb.status.StatusTable.key;
import static run.creativeai.gateway.adapters.dynamodb.status.StatusTable.number;
import static run.creativeai.gateway.adapters.dynamodb.status.StatusTable.sortable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.status.Notice;
import run.creativeai.gateway.status.NoticeJson;
import run.creativeai.gateway.status.NoticeStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Incidents and maintenance windows in the status table: open ones under one partition (a strongly
 * consistent Query reads them all), closed ones under another sorted by when they closed (a Query
 * from a moment reads the recent history, however long it grows), and a pointer per notice saying
 * where it is and how many of its updates were announced. Every write is a transaction that checks
 * the notice's version, so two writers never both change the same version.
 */
public final class DynamoDbNoticeStore implements NoticeStore {
    static final String OPEN = "notice#open";
    static final String CLOSED = "notice#closed";
    static final String POINTER = "notice";
    static final String VERSION = "version";
    static final String WHERE = "where";
    static final String ANNOUNCED = "announced";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbNoticeStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public List<Notice> open() {
        return query(OPEN, Optional.empty(), true);
    }

    @Override
    public List<Notice> closedSince(Instant from) {
        return query(CLOSED, Optional.of(sortable(from)), false);
    }

    private List<Notice> query(String partition, Optional<String> from, boolean forward) {
        List<Notice> notices = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> after = start;
            Map<String, String> names = new HashMap<>(Map.of("#pk", PK));
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", AttributeValue.fromS(partition)));
            String condition = "#pk = :pk";
            if (from.isPresent()) {
                names.put("#sk", SK);
                values.put(":from", AttributeValue.fromS(from.get()));
                condition += " AND #sk >= :from";
            }
            String keyCondition = condition;
            QueryResponse page = dynamo.query(b -> b.tableName(table).keyConditionExpression(keyCondition)
                    .expressionAttributeNames(names).expressionAttributeValues(values)
                    .consistentRead(true).scanIndexForward(forward).exclusiveStartKey(after));
            page.items().forEach(item -> notices.add(NoticeJson.read(item.get(DOCUMENT).s())));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return notices;
    }

    @Override
    public Optional<Notice> find(String id) {
        GetItemResponse pointer = dynamo.getItem(b -> b.tableName(table).key(key(POINTER, id)).consistentRead(true));
        if (!pointer.hasItem() || !pointer.item().containsKey(WHERE)) {
            return Optional.empty();
        }
        String where = pointer.item().get(WHERE).s();
        String partition = where.equals("open") ? OPEN : CLOSED;
        String sortKey = where.equals("open") ? id : where.substring("closed:".length());
        GetItemResponse item = dynamo.getItem(b -> b.tableName(table).key(key(partition, sortKey)).consistentRead(true));
        return item.hasItem() ? Optional.of(NoticeJson.read(item.item().get(DOCUMENT).s())) : Optional.empty();
    }

    @Override
    public boolean create(Notice notice) {
        if (!notice.isOpen()) {
            throw new IllegalArgumentException("a notice is created open");
        }
        return transact(List.of(
                TransactWriteItem.builder().put(p -> p.tableName(table).item(item(OPEN, notice.id(), notice))
                        .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK))).build(),
                TransactWriteItem.builder().put(p -> p.tableName(table).item(pointer(notice.id(), "open"))
                        .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK))).build()));
    }

    @Override
    public boolean replace(Notice current, Notice next) {
        if (!current.isOpen() || !next.id().equals(current.id()) || next.version() != current.version() + 1) {
            throw new IllegalArgumentException("only an open notice is replaced, by its next version");
        }
        Map<String, String> names = Map.of("#v", VERSION);
        Map<String, AttributeValue> values = Map.of(":v", number(current.version()));
        if (next.isOpen()) {
            return transact(List.of(TransactWriteItem.builder().put(p -> p.tableName(table)
                    .item(item(OPEN, next.id(), next)).conditionExpression("#v = :v")
                    .expressionAttributeNames(names).expressionAttributeValues(values)).build()));
        }
        String closedKey = sortable(next.closedAt().orElseThrow()) + "#" + next.id();
        return transact(List.of(
                TransactWriteItem.builder().delete(d -> d.tableName(table).key(key(OPEN, current.id()))
                        .conditionExpression("#v = :v").expressionAttributeNames(names)
                        .expressionAttributeValues(values)).build(),
                TransactWriteItem.builder().put(p -> p.tableName(table).item(item(CLOSED, closedKey, next))).build(),
                TransactWriteItem.builder().update(u -> u.tableName(table).key(key(POINTER, next.id()))
                        .updateExpression("SET #w = :w").expressionAttributeNames(Map.of("#w", WHERE))
                        .expressionAttributeValues(Map.of(":w", AttributeValue.fromS("closed:" + closedKey)))).build()));
    }

    @Override
    public Map<String, Integer> announced(Collection<String> ids) {
        Map<String, Integer> announced = new LinkedHashMap<>();
        List<String> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += 100) {
            List<Map<String, AttributeValue>> keys = all.subList(from, Math.min(all.size(), from + 100)).stream()
                    .distinct().map(id -> key(POINTER, id)).toList();
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(keys)
                    .consistentRead(true).build());
            while (!request.isEmpty() && !request.get(table).keys().isEmpty()) {
                Map<String, KeysAndAttributes> ask = request;
                var response = dynamo.batchGetItem(b -> b.requestItems(ask));
                response.responses().getOrDefault(table, List.of()).forEach(item ->
                        announced.put(item.get(SK).s(), (int) StatusTable.number(item, ANNOUNCED)));
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            }
        }
        return announced;
    }

    @Override
    public void markAnnounced(String id, int number) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(POINTER, id))
                    .updateExpression("SET #a = :n")
                    .conditionExpression("attribute_exists(#pk) AND (attribute_not_exists(#a) OR #a < :n)")
                    .expressionAttributeNames(Map.of("#a", ANNOUNCED, "#pk", PK))
                    .expressionAttributeValues(Map.of(":n", number(number))));
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException e) {
            // Noted already, as far or further.
        }
    }

    private Map<String, AttributeValue> item(String partition, String sortKey, Notice notice) {
        return Map.of(PK, AttributeValue.fromS(partition), SK, AttributeValue.fromS(sortKey),
                DOCUMENT, AttributeValue.fromS(NoticeJson.stored(notice)), VERSION, number(notice.version()));
    }

    private static Map<String, AttributeValue> pointer(String id, String where) {
        return Map.of(PK, AttributeValue.fromS(POINTER), SK, AttributeValue.fromS(id), WHERE, AttributeValue.fromS(where),
                ANNOUNCED, number(0));
    }

    private boolean transact(List<TransactWriteItem> writes) {
        try {
            dynamo.transactWriteItems(b -> b.transactItems(writes));
            return true;
        } catch (TransactionCanceledException e) {
            // A version that moved, or another writer's transaction on the same notice at the same moment:
            // either way the caller reads the notice again.
            if (e.hasCancellationReasons() && e.cancellationReasons().stream()
                    .anyMatch(r -> "ConditionalCheckFailed".equals(r.code()) || "TransactionConflict".equals(r.code()))) {
                return false;
            }
            throw e;
        }
    }
}
