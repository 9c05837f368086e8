package run.creativeai.gateway.adapters.dynamodb.status;

import static run.creativeai.gateway.adapters.dynamodb.status.StatusTable.DOCUMENT;
import static run.creativeai.gateway.adapters.dynamodb.status.StatusTable.key;
import static run.creativeai.gateway.adapters.dynamodb.status.StatusTable.number;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.status.Readings;
import run.creativeai.gateway.status.ReadingsStore;
import run.creativeai.gateway.status.StatusPublication;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The published status document and the monitor's last readings. The document is one item, read
 * with one eventually consistent GetItem of its {@code doc} attribute; the generation counter is an
 * item of its own, so counting a rebuild never rewrites (and pays for) the document.
 */
public final class DynamoDbStatusPublication implements StatusPublication, ReadingsStore {
    static final String GENERATION = "generation";
    static final String PUBLISHED_AT = "published_at";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbStatusPublication(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public long nextGeneration() {
        return Long.parseLong(dynamo.updateItem(b -> b.tableName(table).key(key("document", "generation"))
                .updateExpression("ADD #n :one")
                .expressionAttributeNames(Map.of("#n", GENERATION))
                .expressionAttributeValues(Map.of(":one", number(1)))
                .returnValues(ReturnValue.UPDATED_NEW)).attributes().get(GENERATION).n());
    }

    @Override
    public boolean publish(long generation, Instant at, String document) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key("document", "current"))
                    .updateExpression("SET #doc = :doc, #g = :g, #at = :at")
                    .conditionExpression("attribute_not_exists(#g) OR #g < :g")
                    .expressionAttributeNames(Map.of("#doc", DOCUMENT, "#g", GENERATION, "#at", PUBLISHED_AT))
                    .expressionAttributeValues(Map.of(":doc", AttributeValue.fromS(document), ":g", number(generation),
                            ":at", number(at.toEpochMilli()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Optional<String> current() {
        GetItemResponse response = dynamo.getItem(b -> b.tableName(table).key(key("document", "current"))
                .projectionExpression("#doc").expressionAttributeNames(Map.of("#doc", DOCUMENT)));
        return response.hasItem() && response.item().containsKey(DOCUMENT)
                ? Optional.of(response.item().get(DOCUMENT).s()) : Optional.empty();
    }

    @Override
    public void save(Readings readings) {
        dynamo.putItem(b -> b.tableName(table).item(Map.of(
                StatusTable.PK, AttributeValue.fromS("readings"), StatusTable.SK, AttributeValue.fromS("latest"),
                DOCUMENT, AttributeValue.fromS(readings.toJson()))));
    }

    @Override
    public Optional<Readings> latest() {
        GetItemResponse response = dynamo.getItem(b -> b.tableName(table).key(key("readings", "latest")).consistentRead(true));
        return response.hasItem() && response.item().containsKey(DOCUMENT)
                ? Optional.of(Readings.fromJson(response.item().get(DOCUMENT).s())) : Optional.empty();
    }
}
