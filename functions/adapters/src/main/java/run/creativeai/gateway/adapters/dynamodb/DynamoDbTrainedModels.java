package run.creativeai.gateway.adapters.dynamodb;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.training.TrainedModel;
import run.creativeai.gateway.training.TrainedModels;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Tenants' trained models in the accounts table, beside what else a tenant owns beyond any window:
 * {@code tenant#<id>} / {@code model#<ft id>}, never expiring. Keyed by tenant, so a lookup under
 * another tenant finds nothing, and a tenant's models are one query. Ids are derived from the
 * training, so writing one again writes the same item.
 */
public final class DynamoDbTrainedModels implements TrainedModels {
    static final String SK_PREFIX = "model#";
    static final String BASE_MODEL = "base_model";
    static final String TRIGGER_WORD = "trigger_word";
    static final String WEIGHTS_KEY = "weights_key";
    static final String TRAINING_ID = "training_id";
    static final String CREATED_AT = "created_at";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbTrainedModels(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void record(TrainedModel model) {
        Map<String, AttributeValue> item = new HashMap<>(key(model.tenant(), model.id()));
        item.put(BASE_MODEL, AttributeValue.fromS(model.baseModel()));
        item.put(TRIGGER_WORD, AttributeValue.fromS(model.triggerWord()));
        item.put(WEIGHTS_KEY, AttributeValue.fromS(model.weightsKey()));
        item.put(TRAINING_ID, AttributeValue.fromS(model.trainedBy().value()));
        item.put(CREATED_AT, AccountItems.instant(model.createdAt()));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    @Override
    public Optional<TrainedModel> find(TenantId tenant, String id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(key(tenant, id))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(model(tenant, item));
    }

    @Override
    public List<TrainedModel> of(TenantId tenant) {
        List<TrainedModel> models = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(b -> {
                b.tableName(table).consistentRead(true)
                        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                        .expressionAttributeNames(Map.of("#pk", AccountItems.PK, "#sk", AccountItems.SK))
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(partition(tenant)),
                                ":prefix", AttributeValue.fromS(SK_PREFIX)));
                if (from != null) {
                    b.exclusiveStartKey(from);
                }
            });
            page.items().forEach(item -> models.add(model(tenant, item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        models.sort(java.util.Comparator.comparing(TrainedModel::createdAt).thenComparing(TrainedModel::id));
        return models;
    }

    private static TrainedModel model(TenantId tenant, Map<String, AttributeValue> item) {
        return new TrainedModel(item.get(AccountItems.SK).s().substring(SK_PREFIX.length()), tenant,
                item.get(BASE_MODEL).s(), item.get(TRIGGER_WORD).s(), item.get(WEIGHTS_KEY).s(),
                new JobId(item.get(TRAINING_ID).s()), Instant.parse(item.get(CREATED_AT).s()));
    }

    private static String partition(TenantId tenant) {
        return "tenant#" + tenant.value();
    }

    private static Map<String, AttributeValue> key(TenantId tenant, String id) {
        return AccountItems.key(partition(tenant), SK_PREFIX + id);
    }
}
