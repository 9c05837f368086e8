package run.creativeai.gateway.adapters.dynamodb;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import run.creativeai.gateway.limits.AdmissionDecision;
import run.creativeai.gateway.limits.LimitCharge;
import run.creativeai.gateway.limits.LimitState;
import run.creativeai.gateway.limits.Limiter;
import run.creativeai.gateway.limits.RateLimitRule;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Fixed-window counters in DynamoDB: one item per rule, scope and window, incremented by a single
 * conditional {@code UpdateItem} that refuses to pass the limit. DynamoDB serialises writes to an
 * item, so however many ingress instances race, the count never exceeds the limit, and a refused
 * request writes nothing. One round trip per admission. Counter items expire by TTL an hour after
 * their window ends.
 */
public final class DynamoDbLimiter implements Limiter {
    static final String PK = "pk";
    static final String COUNT = "count";
    static final String EXPIRES_AT = "expires_at";
    private static final Duration EXPIRY_SLACK = Duration.ofHours(1);

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbLimiter(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public AdmissionDecision admit(List<LimitCharge> charges, Instant now) {
        if (charges.size() != 1) {
            throw new IllegalArgumentException("this limiter decides exactly one rule per request, got " + charges.size());
        }
        LimitCharge charge = charges.get(0);
        RateLimitRule rule = charge.rule();
        Instant resetAt = rule.windowEnd(now);
        try {
            UpdateItemResponse response = dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of(PK, AttributeValue.fromS(counterKey(charge, now))))
                    .updateExpression("ADD #c :cost SET #exp = if_not_exists(#exp, :exp)")
                    .conditionExpression("attribute_not_exists(#c) OR #c <= :max")
                    .expressionAttributeNames(Map.of("#c", COUNT, "#exp", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(
                            ":cost", number(charge.cost()),
                            ":max", number(rule.limit() - charge.cost()),
                            ":exp", number(resetAt.plus(EXPIRY_SLACK).getEpochSecond())))
                    .returnValues(ReturnValue.UPDATED_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            long used = Long.parseLong(response.attributes().get(COUNT).n());
            return new AdmissionDecision.Admitted(List.of(new LimitState(rule, used, resetAt)));
        } catch (ConditionalCheckFailedException e) {
            long used = e.hasItem() && e.item().containsKey(COUNT) ? Long.parseLong(e.item().get(COUNT).n()) : rule.limit();
            LimitState state = new LimitState(rule, used, resetAt);
            return new AdmissionDecision.Refused(state, List.of(state));
        }
    }

    /** {@code <rule>#<scope>#<window index>}: every instance derives the same key for the same window. */
    static String counterKey(LimitCharge charge, Instant now) {
        return charge.rule().id() + "#" + charge.scope() + "#" + charge.rule().windowIndex(now);
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
