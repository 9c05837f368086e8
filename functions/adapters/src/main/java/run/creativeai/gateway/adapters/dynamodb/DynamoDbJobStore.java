package run.creativeai.gateway.adapters.dynamodb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.JobStore;
import run.creativeai.gateway.job.Settlement;
import run.creativeai.gateway.reconcile.Unsettled;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;

/**
 * Jobs in DynamoDB, one item per job: the document plus the attributes conditions and indexes use
 * ({@code status}, {@code tenant_id}, {@code version}). A terminal job gets an expiry, so the table
 * keeps results for the retention period and no longer. A job is written whole once, when it is
 * created, with the keys of the {@value #UNSETTLED_INDEX} index (a shard and its admission time),
 * which the reconciler reads; later writes change the document and leave those keys alone, so they
 * cost no index write, until the write that settles the job ({@link Settlement}) or
 * {@link #settled} removes them. The index thus holds only recent and stuck jobs, however many the
 * table keeps.
 */
public final class DynamoDbJobStore implements JobStore {
    static final String JOB_ID = "job_id";
    static final String TENANT_ID = "tenant_id";
    static final String STATUS = "status";
    static final String VERSION = "version";
    static final String CREATED_AT = "created_at";
    /** The document as text, as jobs were stored before it was compressed; read, and dropped by the next write. */
    static final String DOCUMENT = "doc";
    /**
     * The document, DEFLATE-compressed: a job's document is mostly JSON names and timestamps, and
     * compressed it keeps the item under the 1 KB a write unit covers (a 1.0 KB document of a finished
     * image job packs to under 0.5 KB), however much the document grows with attempts and outputs.
     */
    static final String PACKED_DOCUMENT = "docz";
    static final String EXPIRES_AT = "expires_at";
    static final String UNSETTLED_INDEX = "unsettled";
    static final String UNSETTLED_SHARD = "unsettled_shard";
    static final String ATTENTION_AT = "attention_at";
    /** Recoveries the reconciler made since the job last moved; projected into the index. */
    static final String RECOVERIES = "recoveries";
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
        Put put = creation(job);
        try {
            dynamo.putItem(b -> b.tableName(put.tableName())
                    .item(put.item())
                    .conditionExpression(put.conditionExpression())
                    .expressionAttributeNames(put.expressionAttributeNames()));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * The write that creates {@code job}, for a transaction to carry ({@link DynamoDbLimiter} writes it
     * with the limit counters and the credit reservation): it fails if a job with that id exists.
     */
    Put creation(Job job) {
        return Put.builder().tableName(table)
                .item(item(job))
                .conditionExpression("attribute_not_exists(#id)")
                .expressionAttributeNames(Map.of("#id", JOB_ID))
                .build();
    }

    @Override
    public Optional<Job> find(JobId id) {
        GetItemResponse response = dynamo.getItem(b -> b.tableName(table)
                .key(key(id))
                .consistentRead(true));
        return response.hasItem() && !response.item().isEmpty()
                ? Optional.of(read(response.item()))
                : Optional.empty();
    }

    /**
     * The next version over the one it was derived from. The document, status and version change;
     * the index keys stay unless this write settles the job, and the reconciler's recoveries go,
     * since the job moved.
     */
    @Override
    public boolean update(Job next) {
        Map<String, String> names = new HashMap<>(Map.of("#doc", PACKED_DOCUMENT, "#text", DOCUMENT, "#status", STATUS,
                "#v", VERSION, "#r", RECOVERIES));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":doc", packed(JobDocument.write(next)),
                ":status", AttributeValue.fromS(next.status().wireName()),
                ":v", AttributeValue.fromN(Long.toString(next.version())),
                ":expected", AttributeValue.fromN(Long.toString(next.version() - 1))));
        StringBuilder set = new StringBuilder("SET #doc = :doc, #status = :status, #v = :v");
        expiry(next).ifPresent(expiresAt -> {
            set.append(", #exp = :exp");
            names.put("#exp", EXPIRES_AT);
            values.put(":exp", expiresAt);
        });
        StringBuilder remove = new StringBuilder(" REMOVE #r, #text");
        if (Settlement.settledByWrite(next)) {
            remove.append(", #shard, #at");
            names.put("#shard", UNSETTLED_SHARD);
            names.put("#at", ATTENTION_AT);
        }
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(key(next.id()))
                    .updateExpression(set.toString() + remove)
                    .conditionExpression("#v = :expected")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public boolean settled(Job job) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(key(job.id()))
                    .updateExpression("REMOVE #shard, #at, #r")
                    .conditionExpression("#v = :v")
                    .expressionAttributeNames(Map.of("#shard", UNSETTLED_SHARD, "#at", ATTENTION_AT, "#r", RECOVERIES,
                            "#v", VERSION))
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(job.version())))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** The job an item of the jobs table holds, packed or as text. */
    public static Job read(Map<String, AttributeValue> item) {
        return JobDocument.read(document(item.containsKey(PACKED_DOCUMENT) ? item.get(PACKED_DOCUMENT) : item.get(DOCUMENT)));
    }

    /** A stored document as JSON text, whether it was stored packed or as text. */
    public static String document(AttributeValue stored) {
        if (stored.s() != null) {
            return stored.s();
        }
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(stored.b().asByteArray());
            ByteArrayOutputStream json = new ByteArrayOutputStream(2048);
            byte[] chunk = new byte[2048];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalStateException("a packed job document is truncated");
                }
                json.write(chunk, 0, n);
            }
            return json.toString(StandardCharsets.UTF_8);
        } catch (DataFormatException e) {
            throw new IllegalStateException("a packed job document is not DEFLATE data", e);
        } finally {
            inflater.end();
        }
    }

    private static AttributeValue packed(String json) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(json.getBytes(StandardCharsets.UTF_8));
            deflater.finish();
            ByteArrayOutputStream packed = new ByteArrayOutputStream(1024);
            byte[] chunk = new byte[1024];
            while (!deflater.finished()) {
                packed.write(chunk, 0, deflater.deflate(chunk));
            }
            return AttributeValue.fromB(SdkBytes.fromByteArray(packed.toByteArray()));
        } finally {
            deflater.end();
        }
    }

    static Map<String, AttributeValue> key(JobId id) {
        return Map.of(JOB_ID, AttributeValue.fromS(id.value()));
    }

    static int shard(JobId id) {
        return Math.floorMod(id.value().hashCode(), UNSETTLED_SHARDS);
    }

    private Optional<AttributeValue> expiry(Job job) {
        return job.timings().finishedAt().map(end -> AttributeValue.fromN(Long.toString(end.plus(retention).getEpochSecond())));
    }

    /** The whole item of a new job, with its entry in the unsettled index. */
    private Map<String, AttributeValue> item(Job job) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(JOB_ID, AttributeValue.fromS(job.id().value()));
        item.put(TENANT_ID, AttributeValue.fromS(job.tenantId().value()));
        item.put(STATUS, AttributeValue.fromS(job.status().wireName()));
        item.put(VERSION, AttributeValue.fromN(Long.toString(job.version())));
        item.put(CREATED_AT, AttributeValue.fromN(Long.toString(job.timings().createdAt().toEpochMilli())));
        item.put(PACKED_DOCUMENT, packed(JobDocument.write(job)));
        expiry(job).ifPresent(expiresAt -> item.put(EXPIRES_AT, expiresAt));
        item.put(UNSETTLED_SHARD, AttributeValue.fromS(Integer.toString(shard(job.id()))));
        item.put(ATTENTION_AT, AttributeValue.fromN(Long.toString(Unsettled.lastMoved(job).toEpochMilli())));
        return item;
    }
}
