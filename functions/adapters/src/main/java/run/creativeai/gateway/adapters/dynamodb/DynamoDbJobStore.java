package run.creativeai.gateway.adapters.dynamodb;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.JobStore;
import run.creativeai.gateway.reconcile.Unsettled;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * Jobs in DynamoDB, one item per job: the document plus the attributes conditions and indexes use
 * ({@code status}, {@code tenant_id}, {@code version}). A terminal job gets an expiry, so the table
 * keeps results for the retention period and no longer. Every write also sets the keys of the
 * {@value #UNSETTLED_INDEX} index (a shard and when the job last moved), which the reconciler reads;
 * the reconciler removes them once it has seen the job ended and settled ({@link Unsettled}), so
 * the index holds only recent and stuck jobs, however many the table keeps.
 */
public final class DynamoDbJobStore implements JobStore {
    static final String JOB_ID = "job_id";
    static final String TENANT_ID = "tenant_id";
    static final String STATUS = "status";
    static final String VERSION = "version";
    static final String CREATED_AT = "created_at";
    static final String DOCUMENT = "doc";
    static final String EXPIRES_AT = "expires_at";
    static final String UNSETTLED_INDEX = "unsettled";
    static final String UNSETTLED_SHARD = "unsettled_shard";
    static final String ATTENTION_AT = "attention_at";
    /** Shards of the unsettled index, so that its writes spread over partitions. */
    static final int UNSETTLED_SHARDS = 16;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;

    public DynamoDbJobStore(DynamoDbClient dynamo, String table, Duration retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.retention = retention;
    }

    @Override
    public boolean create(Job job) {
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(item(job))
                    .conditionExpression("attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", JOB_ID)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Optional<Job> find(JobId id) {
        GetItemResponse response = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of(JOB_ID, AttributeValue.fromS(id.value())))
                .consistentRead(true));
        return response.hasItem() && !response.item().isEmpty()
                ? Optional.of(JobDocument.read(response.item().get(DOCUMENT).s()))
                : Optional.empty();
    }

    @Override
    public boolean update(Job next) {
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(item(next))
                    .conditionExpression("#v = :expected")
                    .expressionAttributeNames(Map.of("#v", VERSION))
                    .expressionAttributeValues(Map.of(":expected", AttributeValue.fromN(Long.toString(next.version() - 1)))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    static int shard(JobId id) {
        return Math.floorMod(id.value().hashCode(), UNSETTLED_SHARDS);
    }

    private Map<String, AttributeValue> item(Job job) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(JOB_ID, AttributeValue.fromS(job.id().value()));
        item.put(TENANT_ID, AttributeValue.fromS(job.tenantId().value()));
        item.put(STATUS, AttributeValue.fromS(job.status().wireName()));
        item.put(VERSION, AttributeValue.fromN(Long.toString(job.version())));
        item.put(CREATED_AT, AttributeValue.fromN(Long.toString(job.timings().createdAt().toEpochMilli())));
        item.put(DOCUMENT, AttributeValue.fromS(JobDocument.write(job)));
        job.timings().finishedAt().ifPresent(end -> item.put(EXPIRES_AT,
                AttributeValue.fromN(Long.toString(end.plus(retention).getEpochSecond()))));
        item.put(UNSETTLED_SHARD, AttributeValue.fromS(Integer.toString(shard(job.id()))));
        item.put(ATTENTION_AT, AttributeValue.fromN(Long.toString(Unsettled.lastMoved(job).toEpochMilli())));
        return item;
    }
}
