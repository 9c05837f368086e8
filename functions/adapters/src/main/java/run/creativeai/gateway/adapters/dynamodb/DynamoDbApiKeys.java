package run.creativeai.gateway.adapters.dynamodb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.tenant.ApiKeyDirectory;
import run.creativeai.gateway.tenant.ApiKeyRecord;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.KeyRegistry;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantStanding;
import run.creativeai.gateway.tenant.TenantTerms;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * API keys in DynamoDB, one item per key under {@code key#<keyed hash>}; the key itself is never
 * stored. Authentication reads with strong consistency, so a revocation holds from the very next
 * request (a creation may reuse a record read a moment before: {@code Authenticator#RECENT}). Administration finds a tenant's keys through the {@code by-tenant} index (tenant id,
 * key id), which the request path never uses. Each key carries a copy of its tenant's terms, so the
 * one read of a request knows them; a copy is only ever replaced by a newer version.
 */
public final class DynamoDbApiKeys implements ApiKeyDirectory, KeyRegistry {
    static final String PK = "pk";
    static final String KEY_ID = "key_id";
    static final String TENANT_ID = "tenant_id";
    static final String PLAN = "plan";
    static final String STANDING = "standing";
    static final String REVOKED = "revoked";
    static final String BY_TENANT = "by-tenant";
    /** The tenant's terms as copied onto the key ({@link TenantTerms}): custom limits, dedicated slots, version. */
    static final String TERMS_LIMITS = "terms_limits";
    static final String TERMS_DEDICATED = "terms_dedicated";
    static final String TERMS_VERSION = "terms_version";
    static final String MAX_CREDITS_PER_DAY = "max_credits_per_day";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbApiKeys(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<ApiKeyRecord> findByHash(String keyHash) {
        GetItemResponse response = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(PK, AttributeValue.fromS(pk(keyHash)))));
        if (!response.hasItem() || response.item().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(record(keyHash, response.item()));
    }

    @Override
    public List<ApiKeyRecord> keysOf(TenantId tenant) {
        List<ApiKeyRecord> keys = new ArrayList<>();
        dynamo.queryPaginator(b -> b.tableName(table).indexName(BY_TENANT)
                .keyConditionExpression("#t = :t")
                .expressionAttributeNames(Map.of("#t", TENANT_ID))
                .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(tenant.value()))))
                .items().forEach(item -> {
                    // The index holds keys and a few attributes; the full record is one consistent read away.
                    String hash = item.get(PK).s().substring("key#".length());
                    findByHash(hash).ifPresent(keys::add);
                });
        return keys;
    }

    @Override
    public boolean revoke(TenantId tenant, KeyId key) {
        for (ApiKeyRecord record : keysOf(tenant)) {
            if (record.keyId().equals(key)) {
                try {
                    dynamo.updateItem(b -> b.tableName(table)
                            .key(Map.of(PK, AttributeValue.fromS(pk(record.keyHash()))))
                            .updateExpression("SET #r = :yes")
                            .conditionExpression("#t = :tenant AND #k = :key")
                            .expressionAttributeNames(Map.of("#r", REVOKED, "#t", TENANT_ID, "#k", KEY_ID))
                            .expressionAttributeValues(Map.of(":yes", AttributeValue.fromBool(true),
                                    ":tenant", AttributeValue.fromS(tenant.value()),
                                    ":key", AttributeValue.fromS(key.value()))));
                    return true;
                } catch (ConditionalCheckFailedException e) {
                    return false;
                }
            }
        }
        return false;
    }

    private static ApiKeyRecord record(String keyHash, Map<String, AttributeValue> item) {
        return new ApiKeyRecord(
                keyHash,
                new KeyId(item.get(KEY_ID).s()),
                new TenantId(item.get(TENANT_ID).s()),
                item.get(PLAN).s(),
                TenantStanding.fromWire(item.get(STANDING).s()),
                item.containsKey(REVOKED) && Boolean.TRUE.equals(item.get(REVOKED).bool()),
                terms(item),
                CounterItem.number(item, MAX_CREDITS_PER_DAY));
    }

    /** A key written before tenants had terms carries none. */
    private static TenantTerms terms(Map<String, AttributeValue> item) {
        if (!item.containsKey(TERMS_VERSION)) {
            return TenantTerms.none();
        }
        Map<String, Integer> dedicated = new java.util.LinkedHashMap<>();
        AttributeValue slots = item.get(TERMS_DEDICATED);
        if (slots != null && slots.hasM()) {
            slots.m().forEach((provider, count) -> dedicated.put(provider, Integer.parseInt(count.n())));
        }
        return new TenantTerms(item.get(TERMS_LIMITS).s(), dedicated, Long.parseLong(item.get(TERMS_VERSION).n()));
    }

    @Override
    public void copyTerms(TenantId tenant, TenantTerms terms) {
        for (ApiKeyRecord record : keysOf(tenant)) {
            try {
                dynamo.updateItem(b -> b.tableName(table)
                        .key(Map.of(PK, AttributeValue.fromS(pk(record.keyHash()))))
                        .updateExpression("SET #l = :limits, #d = :dedicated, #v = :version")
                        .conditionExpression("#t = :tenant AND (attribute_not_exists(#v) OR #v < :version)")
                        .expressionAttributeNames(Map.of("#l", TERMS_LIMITS, "#d", TERMS_DEDICATED, "#v", TERMS_VERSION,
                                "#t", TENANT_ID))
                        .expressionAttributeValues(Map.of(":limits", AttributeValue.fromS(terms.limits()),
                                ":dedicated", DynamoDbAccounts.dedicated(terms),
                                ":version", CounterUpdate.number(terms.version()),
                                ":tenant", AttributeValue.fromS(tenant.value()))));
            } catch (ConditionalCheckFailedException e) {
                // This key already holds these terms or newer ones.
            }
        }
    }

    @Override
    public boolean setBudget(TenantId tenant, KeyId key, java.util.Optional<Long> maxCreditsPerDay) {
        for (ApiKeyRecord record : keysOf(tenant)) {
            if (record.keyId().equals(key)) {
                try {
                    dynamo.updateItem(b -> b.tableName(table)
                            .key(Map.of(PK, AttributeValue.fromS(pk(record.keyHash()))))
                            .updateExpression(maxCreditsPerDay.isPresent() ? "SET #b = :budget" : "REMOVE #b")
                            .conditionExpression("#t = :tenant AND #k = :key")
                            .expressionAttributeNames(Map.of("#b", MAX_CREDITS_PER_DAY, "#t", TENANT_ID, "#k", KEY_ID))
                            .expressionAttributeValues(maxCreditsPerDay.isPresent()
                                    ? Map.of(":budget", CounterUpdate.number(maxCreditsPerDay.get()),
                                            ":tenant", AttributeValue.fromS(tenant.value()),
                                            ":key", AttributeValue.fromS(key.value()))
                                    : Map.of(":tenant", AttributeValue.fromS(tenant.value()),
                                            ":key", AttributeValue.fromS(key.value()))));
                    return true;
                } catch (ConditionalCheckFailedException e) {
                    return false;
                }
            }
        }
        return false;
    }

    @Override
    public void put(ApiKeyRecord record) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, AttributeValue.fromS(pk(record.keyHash())));
        item.put(KEY_ID, AttributeValue.fromS(record.keyId().value()));
        item.put(TENANT_ID, AttributeValue.fromS(record.tenantId().value()));
        item.put(PLAN, AttributeValue.fromS(record.plan()));
        item.put(STANDING, AttributeValue.fromS(record.standing().wireName()));
        item.put(REVOKED, AttributeValue.fromBool(record.revoked()));
        item.put(TERMS_LIMITS, AttributeValue.fromS(record.terms().limits()));
        item.put(TERMS_DEDICATED, DynamoDbAccounts.dedicated(record.terms()));
        item.put(TERMS_VERSION, CounterUpdate.number(record.terms().version()));
        record.maxCreditsPerDay().ifPresent(max -> item.put(MAX_CREDITS_PER_DAY, CounterUpdate.number(max)));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    private static String pk(String keyHash) {
        return "key#" + keyHash;
    }
}
