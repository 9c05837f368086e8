package run.creativeai.gateway.adapters.dynamodb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import run.creativeai.gateway.access.AccountStore;
import run.creativeai.gateway.access.AuditEntry;
import run.creativeai.gateway.billing.Balance;
import run.creativeai.gateway.billing.CreditBalances;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantTerms;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Tenants' credit balances, terms and audit trails in the accounts table ({@link AccountItems}), read
 * consistently. Each change is one {@code TransactWriteItems} of the change and its audit entry
 * ({@code audit#<tenant>} / {@code <instant>#<random>}), so there is never one without the other.
 */
public final class DynamoDbAccounts implements CreditBalances, AccountStore {
    private static final String LIMITS = "limits";
    private static final String DEDICATED = "dedicated";
    private static final String VERSION = "version";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbAccounts(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Balance balance(TenantId tenant) {
        Map<String, AttributeValue> item = get(AccountItems.balanceKey(tenant));
        return item.isEmpty() ? Balance.NONE : new Balance(AccountItems.available(item), AccountItems.reserved(item));
    }

    @Override
    public Balance addCredits(TenantId tenant, long credits, AuditEntry entry) {
        dynamo.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().update(u -> u.tableName(table).key(AccountItems.balanceKey(tenant))
                        .updateExpression("ADD #a :credits, #r :zero SET #u = :at")
                        .expressionAttributeNames(Map.of("#a", AccountItems.AVAILABLE, "#r", AccountItems.RESERVED,
                                "#u", AccountItems.UPDATED_AT))
                        .expressionAttributeValues(Map.of(":credits", CounterUpdate.number(credits),
                                ":zero", CounterUpdate.number(0), ":at", AccountItems.instant(entry.at())))).build(),
                audit(tenant, entry)));
        return balance(tenant);
    }

    @Override
    public boolean setCredits(TenantId tenant, long expected, long credits, AuditEntry entry) {
        try {
            dynamo.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().update(u -> u.tableName(table).key(AccountItems.balanceKey(tenant))
                            .updateExpression("SET #a = :credits, #u = :at ADD #r :zero")
                            .conditionExpression(expected == 0 ? "attribute_not_exists(#a) OR #a = :expected"
                                    : "#a = :expected")
                            .expressionAttributeNames(Map.of("#a", AccountItems.AVAILABLE, "#r", AccountItems.RESERVED,
                                    "#u", AccountItems.UPDATED_AT))
                            .expressionAttributeValues(Map.of(":credits", CounterUpdate.number(credits),
                                    ":expected", CounterUpdate.number(expected), ":zero", CounterUpdate.number(0),
                                    ":at", AccountItems.instant(entry.at())))).build(),
                    audit(tenant, entry)));
            return true;
        } catch (TransactionCanceledException e) {
            return false;
        }
    }

    @Override
    public TenantTerms terms(TenantId tenant) {
        Map<String, AttributeValue> item = get(AccountItems.termsKey(tenant));
        if (item.isEmpty()) {
            return TenantTerms.none();
        }
        Map<String, Integer> dedicated = new LinkedHashMap<>();
        if (item.containsKey(DEDICATED) && item.get(DEDICATED).hasM()) {
            item.get(DEDICATED).m().forEach((provider, slots) -> dedicated.put(provider, Integer.parseInt(slots.n())));
        }
        return new TenantTerms(item.get(LIMITS).s(), dedicated, Long.parseLong(item.get(VERSION).n()));
    }

    @Override
    public boolean replaceTerms(TenantId tenant, TenantTerms next, AuditEntry entry) {
        Map<String, AttributeValue> item = new HashMap<>(AccountItems.termsKey(tenant));
        item.put(LIMITS, AttributeValue.fromS(next.limits()));
        item.put(DEDICATED, dedicated(next));
        item.put(VERSION, CounterUpdate.number(next.version()));
        item.put(AccountItems.UPDATED_AT, AccountItems.instant(entry.at()));
        long previous = next.version() - 1;
        try {
            dynamo.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                            .conditionExpression(previous == 0 ? "attribute_not_exists(#v) OR #v = :previous"
                                    : "#v = :previous")
                            .expressionAttributeNames(Map.of("#v", VERSION))
                            .expressionAttributeValues(Map.of(":previous", CounterUpdate.number(previous)))).build(),
                    audit(tenant, entry)));
            return true;
        } catch (TransactionCanceledException e) {
            return false;
        }
    }

    /** The terms as key items carry them: the same attributes. */
    static AttributeValue dedicated(TenantTerms terms) {
        Map<String, AttributeValue> slots = new HashMap<>();
        terms.dedicatedSlots().forEach((provider, count) -> slots.put(provider, CounterUpdate.number(count)));
        return AttributeValue.fromM(slots);
    }

    @Override
    public void record(TenantId tenant, AuditEntry entry) {
        dynamo.transactWriteItems(b -> b.transactItems(audit(tenant, entry)));
    }

    @Override
    public List<AuditEntry> audit(TenantId tenant, int limit) {
        List<AuditEntry> entries = new ArrayList<>();
        dynamo.query(b -> b.tableName(table)
                        .keyConditionExpression("#pk = :pk")
                        .expressionAttributeNames(Map.of("#pk", AccountItems.PK))
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(AccountItems.auditPartition(tenant))))
                        .scanIndexForward(false)
                        .limit(limit))
                .items().forEach(item -> entries.add(new AuditEntry(java.time.Instant.parse(item.get("at").s()),
                        item.get("actor").s(), item.get("action").s(), item.get("detail").s())));
        return entries;
    }

    private TransactWriteItem audit(TenantId tenant, AuditEntry entry) {
        Map<String, AttributeValue> item = new HashMap<>(AccountItems.key(AccountItems.auditPartition(tenant),
                String.format("%013d", entry.at().toEpochMilli()) + "#" + UUID.randomUUID()));
        item.put("at", AccountItems.instant(entry.at()));
        item.put("actor", AttributeValue.fromS(entry.actor()));
        item.put("action", AttributeValue.fromS(entry.action()));
        item.put("detail", AttributeValue.fromS(entry.detail()));
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item)).build();
    }

    private Map<String, AttributeValue> get(Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item();
        return item == null ? Map.of() : item;
    }
}
