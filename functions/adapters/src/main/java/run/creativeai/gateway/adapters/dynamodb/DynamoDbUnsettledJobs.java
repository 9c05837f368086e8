package run.creativeai.gateway.adapters.dynamodb;

import static run.creativeai.gateway.adapters.dynamodb.DynamoDbJobStore.ATTENTION_AT;
import static run.creativeai.gateway.adapters.dynamodb.DynamoDbJobStore.JOB_ID;
import static run.creativeai.gateway.adapters.dynamodb.DynamoDbJobStore.RECOVERIES;
import static run.creativeai.gateway.adapters.dynamodb.DynamoDbJobStore.UNSETTLED_INDEX;
import static run.creativeai.gateway.adapters.dynamodb.DynamoDbJobStore.UNSETTLED_SHARD;
import static run.creativeai.gateway.adapters.dynamodb.DynamoDbJobStore.UNSETTLED_SHARDS;
import static run.creativeai.gateway.adapters.dynamodb.DynamoDbJobStore.VERSION;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.reconcile.UnsettledJobs;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The jobs table's sparse {@code unsettled} index: only jobs whose end has not been carried out carry
 * its keys ({@link DynamoDbJobStore}), so a query per shard reads just the jobs that have rested past
 * a time, however many jobs the table holds. What the reconciler records (a recovery, when to look
 * again) goes on the job item beside its document, without touching the version, so it never makes a
 * dispatcher's conditional write fail; the job's next write drops the recoveries.
 */
public final class DynamoDbUnsettledJobs implements UnsettledJobs {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbUnsettledJobs(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public List<Candidate> due(Instant before, int limit) {
        List<Candidate> due = new ArrayList<>();
        for (int shard = 0; shard < UNSETTLED_SHARDS && due.size() < limit; shard++) {
            String s = Integer.toString(shard);
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                int wanted = limit - due.size();
                QueryResponse page = dynamo.query(b -> b.tableName(table)
                        .indexName(UNSETTLED_INDEX)
                        .keyConditionExpression("#shard = :shard AND #at <= :before")
                        .expressionAttributeNames(Map.of("#shard", UNSETTLED_SHARD, "#at", ATTENTION_AT))
                        .expressionAttributeValues(Map.of(
                                ":shard", AttributeValue.fromS(s),
                                ":before", AttributeValue.fromN(Long.toString(before.toEpochMilli()))))
                        .limit(wanted)
                        .exclusiveStartKey(from));
                for (Map<String, AttributeValue> item : page.items()) {
                    due.add(new Candidate(new JobId(item.get(JOB_ID).s()),
                            Instant.ofEpochMilli(Long.parseLong(item.get(ATTENTION_AT).n())),
                            item.containsKey(RECOVERIES) ? Integer.parseInt(item.get(RECOVERIES).n()) : 0));
                }
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null && due.size() < limit);
        }
        return due;
    }

    @Override
    public void lookAgain(JobId job, long version, Instant movedAt) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(DynamoDbJobStore.key(job))
                    .updateExpression("SET #at = :at REMOVE #r")
                    .conditionExpression("#v = :v AND attribute_exists(#at)")
                    .expressionAttributeNames(Map.of("#at", ATTENTION_AT, "#r", RECOVERIES, "#v", VERSION))
                    .expressionAttributeValues(Map.of(
                            ":at", AttributeValue.fromN(Long.toString(movedAt.toEpochMilli())),
                            ":v", AttributeValue.fromN(Long.toString(version)))));
        } catch (ConditionalCheckFailedException e) {
            // It moved again, or was settled, meanwhile: the next run sees it as it is then.
        }
    }

    @Override
    public boolean recovered(JobId job, long version, int recoveries, Instant lookAgainFrom) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(DynamoDbJobStore.key(job))
                    .updateExpression("SET #at = :at, #r = :r")
                    .conditionExpression("#v = :v AND attribute_exists(#at)")
                    .expressionAttributeNames(Map.of("#at", ATTENTION_AT, "#r", RECOVERIES, "#v", VERSION))
                    .expressionAttributeValues(Map.of(
                            ":at", AttributeValue.fromN(Long.toString(lookAgainFrom.toEpochMilli())),
                            ":r", AttributeValue.fromN(Integer.toString(recoveries)),
                            ":v", AttributeValue.fromN(Long.toString(version)))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
