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
import java.util.function.Supplier;
import run.creativeai.gateway.adapters.ConcurrentCalls;
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

    /**
     * The shards' first pages are asked for at once ({@link ConcurrentCalls}): a run where little is due
     * waits for one round of queries instead of {@value DynamoDbJobStore#UNSETTLED_SHARDS}. The answer is
     * the same as reading the shards one after another: the due jobs of shard 0 first, then shard 1's,
     * and so on up to {@code limit}, a shard's further pages read only while the limit is not reached.
     */
    @Override
    public List<Candidate> due(Instant before, int limit) {
        List<Supplier<QueryResponse>> firstPages = new ArrayList<>(UNSETTLED_SHARDS);
        for (int shard = 0; shard < UNSETTLED_SHARDS; shard++) {
            int s = shard;
            firstPages.add(() -> page(s, before, limit, null));
        }
        List<QueryResponse> pages = ConcurrentCalls.AT_ONCE.all(firstPages);
        List<Candidate> due = new ArrayList<>();
        for (int shard = 0; shard < UNSETTLED_SHARDS && due.size() < limit; shard++) {
            QueryResponse page = pages.get(shard);
            while (true) {
                for (Map<String, AttributeValue> item : page.items()) {
                    if (due.size() == limit) {
                        break;
                    }
                    due.add(new Candidate(new JobId(item.get(JOB_ID).s()),
                            Instant.ofEpochMilli(Long.parseLong(item.get(ATTENTION_AT).n())),
                            item.containsKey(RECOVERIES) ? Integer.parseInt(item.get(RECOVERIES).n()) : 0));
                }
                if (!page.hasLastEvaluatedKey() || page.lastEvaluatedKey().isEmpty() || due.size() >= limit) {
                    break;
                }
                page = page(shard, before, limit - due.size(), page.lastEvaluatedKey());
            }
        }
        return due;
    }

    private QueryResponse page(int shard, Instant before, int limit, Map<String, AttributeValue> from) {
        return dynamo.query(b -> b.tableName(table)
                .indexName(UNSETTLED_INDEX)
                .keyConditionExpression("#shard = :shard AND #at <= :before")
                .expressionAttributeNames(Map.of("#shard", UNSETTLED_SHARD, "#at", ATTENTION_AT))
                .expressionAttributeValues(Map.of(
                        ":shard", AttributeValue.fromS(Integer.toString(shard)),
                        ":before", AttributeValue.fromN(Long.toString(before.toEpochMilli()))))
                .limit(limit)
                .exclusiveStartKey(from));
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
