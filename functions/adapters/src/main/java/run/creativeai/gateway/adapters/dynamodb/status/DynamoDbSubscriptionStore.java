package run.creativeai.gateway.adapters.dynamodb.status;

import static run.creativeai.gateway.adapters.dynamodb.status.StatusTable.PK;
import static run.creativeai.gateway.adapters.dynamodb.status.StatusTable.SK;
import static run.creativeai.gateway.adapters.dynamodb.status.StatusTable.key;
import static run.creativeai.gateway.adapters.dynamodb.status.StatusTable.number;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.adapters.dynamodb.WebhookAttemptJson;
import run.creativeai.gateway.job.WebhookAttempt;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.status.Subscription;
import run.creativeai.gateway.status.SubscriptionStore;
import run.creativeai.gateway.tenant.TenantId;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Status subscriptions in the status table, under one partition sorted by tenant (a tenant's are a
 * prefix query, all of them one query for a notice's fan-out), with a count per tenant that the
 * subscription and its count change in one transaction, so the limit holds however many requests
 * race. Each notice's attempts to one subscription are an item of their own, kept seven days (the
 * ledger's dedup window).
 */
public final class DynamoDbSubscriptionStore implements SubscriptionStore {
    static final String PARTITION = "subscription";
    static final String COUNTS = "subscriptions#count";
    static final String COUNT = "n";
    static final String TENANT = "tenant_id";
    static final String ID = "id";
    static final String URL = "url";
    static final String CREATED_AT = "created_at";
    static final String LAST_DELIVERY = "last_delivery";
    static final String ATTEMPTS = "attempts";
    static final Duration ATTEMPTS_KEPT = Duration.ofDays(7);

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoDbSubscriptionStore(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    private static String sortKey(TenantId tenant, String id) {
        return tenant.value() + "#" + id;
    }

    @Override
    public Created create(Subscription subscription, int limit) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, AttributeValue.fromS(PARTITION));
        item.put(SK, AttributeValue.fromS(sortKey(subscription.tenant(), subscription.id())));
        item.put(TENANT, AttributeValue.fromS(subscription.tenant().value()));
        item.put(ID, AttributeValue.fromS(subscription.id()));
        item.put(URL, AttributeValue.fromS(subscription.url().toString()));
        item.put(CREATED_AT, number(subscription.createdAt().toEpochMilli()));
        try {
            dynamo.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                            .conditionExpression("attribute_not_exists(#pk)")
                            .expressionAttributeNames(Map.of("#pk", PK))).build(),
                    TransactWriteItem.builder().update(u -> u.tableName(table).key(key(COUNTS, subscription.tenant().value()))
                            .updateExpression("ADD #n :one").conditionExpression("attribute_not_exists(#n) OR #n < :limit")
                            .expressionAttributeNames(Map.of("#n", COUNT))
                            .expressionAttributeValues(Map.of(":one", number(1), ":limit", number(limit)))).build()));
            return Created.CREATED;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
            if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code())) {
                return Created.EXISTS;
            }
            if (reasons.size() > 1 && "ConditionalCheckFailed".equals(reasons.get(1).code())) {
                return Created.LIMIT_REACHED;
            }
            throw e;
        }
    }

    @Override
    public Optional<Subscription> find(TenantId tenant, String id) {
        GetItemResponse response = dynamo.getItem(b -> b.tableName(table).key(key(PARTITION, sortKey(tenant, id)))
                .consistentRead(true));
        return response.hasItem() ? Optional.of(subscription(response.item())) : Optional.empty();
    }

    @Override
    public List<Subscription> of(TenantId tenant) {
        return query(Optional.of(tenant.value() + "#"));
    }

    @Override
    public List<Subscription> all() {
        return query(Optional.empty());
    }

    private List<Subscription> query(Optional<String> prefix) {
        List<Subscription> found = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> after = start;
            Map<String, String> names = new HashMap<>(Map.of("#pk", PK));
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", AttributeValue.fromS(PARTITION)));
            String condition = "#pk = :pk";
            if (prefix.isPresent()) {
                names.put("#sk", SK);
                values.put(":prefix", AttributeValue.fromS(prefix.get()));
                condition += " AND begins_with(#sk, :prefix)";
            }
            String keyCondition = condition;
            QueryResponse page = dynamo.query(b -> b.tableName(table).keyConditionExpression(keyCondition)
                    .expressionAttributeNames(names).expressionAttributeValues(values).consistentRead(true)
                    .exclusiveStartKey(after));
            page.items().forEach(item -> found.add(subscription(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return found;
    }

    @Override
    public boolean delete(TenantId tenant, String id) {
        try {
            dynamo.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().delete(d -> d.tableName(table).key(key(PARTITION, sortKey(tenant, id)))
                            .conditionExpression("attribute_exists(#pk)")
                            .expressionAttributeNames(Map.of("#pk", PK))).build(),
                    TransactWriteItem.builder().update(u -> u.tableName(table).key(key(COUNTS, tenant.value()))
                            .updateExpression("ADD #n :minus").expressionAttributeNames(Map.of("#n", COUNT))
                            .expressionAttributeValues(Map.of(":minus", number(-1)))).build()));
            return true;
        } catch (TransactionCanceledException e) {
            if (e.hasCancellationReasons() && !e.cancellationReasons().isEmpty()
                    && "ConditionalCheckFailed".equals(e.cancellationReasons().get(0).code())) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public List<WebhookAttempt> attempts(String subscriptionId, String eventId) {
        GetItemResponse response = dynamo.getItem(b -> b.tableName(table).key(key("delivery#" + subscriptionId, eventId))
                .consistentRead(true));
        List<WebhookAttempt> attempts = new ArrayList<>();
        if (response.hasItem() && response.item().containsKey(ATTEMPTS)) {
            response.item().get(ATTEMPTS).l().forEach(a -> attempts.add(WebhookAttemptJson.read(Json.read(a.s()))));
        }
        return attempts;
    }

    @Override
    public void record(Subscription subscription, String eventType, WebhookAttempt attempt) {
        String json = Json.write(WebhookAttemptJson.write(attempt));
        Instant now = clock.instant();
        dynamo.updateItem(b -> b.tableName(table).key(key("delivery#" + subscription.id(), attempt.eventId()))
                .updateExpression("SET #a = list_append(if_not_exists(#a, :none), :one), #exp = :exp")
                .expressionAttributeNames(Map.of("#a", ATTEMPTS, "#exp", StatusTable.EXPIRES_AT))
                .expressionAttributeValues(Map.of(":none", AttributeValue.fromL(List.of()),
                        ":one", AttributeValue.fromL(List.of(AttributeValue.fromS(json))),
                        ":exp", StatusTable.expiry(now.plus(ATTEMPTS_KEPT)))));
        var last = Json.object().put("type", eventType);
        last.set("attempt", WebhookAttemptJson.write(attempt));
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(PARTITION, sortKey(subscription.tenant(), subscription.id())))
                    .updateExpression("SET #last = :last").conditionExpression("attribute_exists(#pk)")
                    .expressionAttributeNames(Map.of("#last", LAST_DELIVERY, "#pk", PK))
                    .expressionAttributeValues(Map.of(":last", AttributeValue.fromS(Json.write(last)))));
        } catch (ConditionalCheckFailedException e) {
            // Deleted meanwhile: the attempt stays recorded beside it until it expires.
        }
    }

    private static Subscription subscription(Map<String, AttributeValue> item) {
        Optional<Subscription.Delivery> last = Optional.empty();
        if (item.containsKey(LAST_DELIVERY)) {
            JsonNode node = Json.read(item.get(LAST_DELIVERY).s());
            last = Optional.of(new Subscription.Delivery(node.path("type").asText(),
                    WebhookAttemptJson.read(node.path("attempt"))));
        }
        return new Subscription(item.get(ID).s(), new TenantId(item.get(TENANT).s()), URI.create(item.get(URL).s()),
                Instant.ofEpochMilli(StatusTable.number(item, CREATED_AT)), last);
    }
}
