package run.creativeai.gateway.adapters.dynamodb.status;

import static run.creativeai.gateway.adapters.dynamodb.status.StatusTable.key;
import static run.creativeai.gateway.adapters.dynamodb.status.StatusTable.number;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.adapters.sqs.SqsJobQueue;
import run.creativeai.gateway.plan.Tier;
import run.creativeai.gateway.status.QueueProbes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Queue probes: the note of the probe waiting on each tier queue is an item of the status table,
 * set (only if none waits, which the refused write answers with the waiting one's) before the probe
 * message is sent, so a dispatcher that takes the probe at once always finds the note to take away;
 * a probe that could not be sent takes its note back.
 */
public final class DynamoDbQueueProbes implements QueueProbes {
    static final String WAITING_SINCE = "waiting_since";
    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbQueueProbes.class);

    private final DynamoDbClient dynamo;
    private final String table;
    private final SqsJobQueue queues;

    public DynamoDbQueueProbes(DynamoDbClient dynamo, String table, SqsJobQueue queues) {
        this.dynamo = dynamo;
        this.table = table;
        this.queues = queues;
    }

    @Override
    public Optional<Instant> waitingSince(Tier tier) {
        GetItemResponse response = dynamo.getItem(b -> b.tableName(table).key(key("probe", tier.wireName()))
                .consistentRead(true));
        return since(response.item());
    }

    /** When the probe a note names was sent: empty when the item holds no note. */
    private static Optional<Instant> since(Map<String, AttributeValue> note) {
        return StatusTable.optionalNumber(note, WAITING_SINCE).map(Instant::ofEpochMilli);
    }

    @Override
    public Optional<Instant> probe(Tier tier, Instant at) {
        // One write whether or not a probe waits: a refused note returns the waiting one's.
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key("probe", tier.wireName()))
                    .updateExpression("SET #w = :at").conditionExpression("attribute_not_exists(#w)")
                    .expressionAttributeNames(Map.of("#w", WAITING_SINCE))
                    .expressionAttributeValues(Map.of(":at", number(at.toEpochMilli())))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
        } catch (ConditionalCheckFailedException e) {
            return since(e.item());
        }
        try {
            queues.probe(tier, at);
            return Optional.of(at);
        } catch (RuntimeException e) {
            LOG.warn("the probe of the {} queue could not be sent; its note is taken back", tier.wireName(), e);
            received(tier, at);
            return Optional.empty();
        }
    }

    @Override
    public void received(Tier tier, Instant sentAt) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key("probe", tier.wireName()))
                    .updateExpression("REMOVE #w").conditionExpression("#w = :at")
                    .expressionAttributeNames(Map.of("#w", WAITING_SINCE))
                    .expressionAttributeValues(Map.of(":at", AttributeValue.fromN(Long.toString(sentAt.toEpochMilli())))));
        } catch (ConditionalCheckFailedException e) {
            // A copy of a probe already taken, or one from before a newer probe: nothing waits on it.
        }
    }
}
