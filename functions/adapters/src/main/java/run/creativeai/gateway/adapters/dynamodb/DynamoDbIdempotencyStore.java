package run.creativeai.gateway.adapters.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.idempotency.IdempotencyKey;
import run.creativeai.gateway.idempotency.IdempotencyStore;
import run.creativeai.gateway.idempotency.StoredResponse;
import run.creativeai.gateway.json.Json;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The idempotency keys table: one item per tenant and key ({@code tenant_id}, {@code idempotency_key}),
 * {@code in_progress} with a deadline while its request runs, {@code completed} with the response
 * after. Items expire by TTL ({@code expires_at}); since DynamoDB deletes expired items late, every
 * condition also treats an item past its expiry as absent.
 */
public final class DynamoDbIdempotencyStore implements IdempotencyStore {
    static final String TENANT_ID = "tenant_id";
    static final String KEY = "idempotency_key";
    static final String STATE = "state";
    static final String FINGERPRINT = "fingerprint";
    static final String CLAIM_ID = "claim_id";
    static final String IN_PROGRESS_UNTIL = "in_progress_until";
    static final String RESPONSE = "response";
    static final String EXPIRES_AT = "expires_at";
    private static final String IN_PROGRESS = "in_progress";
    private static final String COMPLETED = "completed";
    private static final int CLAIM_TRIES = 3;

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbIdempotencyStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Claim claim(IdempotencyKey key, String fingerprint, String claimId, Instant now, Instant inProgressUntil,
            Instant expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(key(key));
        item.put(STATE, AttributeValue.fromS(IN_PROGRESS));
        item.put(FINGERPRINT, AttributeValue.fromS(fingerprint));
        item.put(CLAIM_ID, AttributeValue.fromS(claimId));
        item.put(IN_PROGRESS_UNTIL, AttributeValue.fromN(Long.toString(inProgressUntil.toEpochMilli())));
        item.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond())));
        for (int i = 0; i < CLAIM_TRIES; i++) {
            try {
                dynamo.putItem(b -> b.tableName(table)
                        .item(item)
                        .conditionExpression("attribute_not_exists(#t) OR #exp <= :now_s"
                                + " OR (#s = :in_progress AND #until <= :now_ms)")
                        .expressionAttributeNames(Map.of("#t", TENANT_ID, "#exp", EXPIRES_AT, "#s", STATE,
                                "#until", IN_PROGRESS_UNTIL))
                        .expressionAttributeValues(Map.of(
                                ":now_s", AttributeValue.fromN(Long.toString(now.getEpochSecond())),
                                ":now_ms", AttributeValue.fromN(Long.toString(now.toEpochMilli())),
                                ":in_progress", AttributeValue.fromS(IN_PROGRESS)))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                return new Claimed();
            } catch (ConditionalCheckFailedException e) {
                if (e.hasItem() && !e.item().isEmpty()) {
                    return held(e.item());
                }
                // Released between the check and now: claim again.
            }
        }
        throw new IllegalStateException("an idempotency key kept changing while it was claimed");
    }

    private static Held held(Map<String, AttributeValue> item) {
        Optional<StoredResponse> response = Optional.empty();
        if (COMPLETED.equals(item.get(STATE).s()) && item.containsKey(RESPONSE)) {
            JsonNode stored = Json.read(item.get(RESPONSE).s());
            Map<String, String> headers = new LinkedHashMap<>();
            stored.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
            response = Optional.of(new StoredResponse(stored.path("status").asInt(), headers, stored.path("body").asText()));
        }
        return new Held(item.get(FINGERPRINT).s(), response);
    }

    @Override
    public boolean complete(IdempotencyKey key, String claimId, StoredResponse response, Instant expiresAt) {
        ObjectNode stored = Json.object().put("status", response.status()).put("body", response.body());
        ObjectNode headers = stored.putObject("headers");
        response.headers().forEach(headers::put);
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(key(key))
                    .updateExpression("SET #s = :completed, #r = :response, #exp = :exp REMOVE #until")
                    .conditionExpression("#c = :claim")
                    .expressionAttributeNames(Map.of("#s", STATE, "#r", RESPONSE, "#exp", EXPIRES_AT,
                            "#until", IN_PROGRESS_UNTIL, "#c", CLAIM_ID))
                    .expressionAttributeValues(Map.of(
                            ":completed", AttributeValue.fromS(COMPLETED),
                            ":response", AttributeValue.fromS(Json.write(stored)),
                            ":exp", AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond())),
                            ":claim", AttributeValue.fromS(claimId))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void release(IdempotencyKey key, String claimId) {
        try {
            dynamo.deleteItem(b -> b.tableName(table)
                    .key(key(key))
                    .conditionExpression("#c = :claim AND #s = :in_progress")
                    .expressionAttributeNames(Map.of("#c", CLAIM_ID, "#s", STATE))
                    .expressionAttributeValues(Map.of(":claim", AttributeValue.fromS(claimId),
                            ":in_progress", AttributeValue.fromS(IN_PROGRESS))));
        } catch (ConditionalCheckFailedException e) {
            // Taken over after this claim expired: the key is another request's now.
        }
    }

    private static Map<String, AttributeValue> key(IdempotencyKey key) {
        return Map.of(TENANT_ID, AttributeValue.fromS(key.tenant().value()), KEY, AttributeValue.fromS(key.value()));
    }
}
