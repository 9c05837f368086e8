package run.creativeai.gateway.adapters.dynamodb;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.tenant.ApiKeyDirectory;
import run.creativeai.gateway.tenant.ApiKeyRecord;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.KeyRegistry;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantStanding;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/** API keys in DynamoDB, one item per key under {@code key#<keyed hash>}; the key itself is never stored. */
public final class DynamoDbApiKeys implements ApiKeyDirectory, KeyRegistry {
    static final String PK = "pk";
    static final String KEY_ID = "key_id";
    static final String TENANT_ID = "tenant_id";
    static final String PLAN = "plan";
    static final String STANDING = "standing";
    static final String REVOKED = "revoked";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbApiKeys(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<ApiKeyRecord> findByHash(String keyHash) {
        GetItemResponse response = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of(PK, AttributeValue.fromS(pk(keyHash)))));
        if (!response.hasItem() || response.item().isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = response.item();
        return Optional.of(new ApiKeyRecord(
                keyHash,
                new KeyId(item.get(KEY_ID).s()),
                new TenantId(item.get(TENANT_ID).s()),
                item.get(PLAN).s(),
                TenantStanding.fromWire(item.get(STANDING).s()),
                item.containsKey(REVOKED) && Boolean.TRUE.equals(item.get(REVOKED).bool())));
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
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    private static String pk(String keyHash) {
        return "key#" + keyHash;
    }
}
