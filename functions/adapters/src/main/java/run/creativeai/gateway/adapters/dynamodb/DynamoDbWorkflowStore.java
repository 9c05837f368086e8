package run.creativeai.gateway.adapters.dynamodb;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.job.WorkflowId;
import run.creativeai.gateway.workflow.Workflow;
import run.creativeai.gateway.workflow.WorkflowStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * Workflows in their own table, one item each: the document, its version (the optimistic lock), and
 * while it has not ended its entry in the sparse index {@code resting} (a constant partition, by the
 * time it last moved), which every write moves and the end removes. Ended workflows expire after the
 * jobs' retention.
 */
public final class DynamoDbWorkflowStore implements WorkflowStore {
    static final String WORKFLOW_ID = "workflow_id";
    static final String TENANT_ID = "tenant_id";
    static final String STATUS = "status";
    static final String VERSION = "version";
    static final String DOCUMENT = "doc";
    static final String EXPIRES_AT = "expires_at";
    static final String RESTING_INDEX = "resting";
    static final String OPEN = "open";
    static final String MOVED_AT = "moved_at";
    /** The index's one partition: unfinished workflows are few (each holds one of five slots per tenant). */
    private static final AttributeValue OPEN_PARTITION = AttributeValue.fromS("open");

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;
    private final java.time.Clock clock;

    public DynamoDbWorkflowStore(DynamoDbClient dynamo, String table, Duration retention, java.time.Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public boolean create(Workflow workflow) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(WORKFLOW_ID, AttributeValue.fromS(workflow.id().value()));
        item.put(TENANT_ID, AttributeValue.fromS(workflow.tenantId().value()));
        item.put(STATUS, AttributeValue.fromS(workflow.status().wireName()));
        item.put(VERSION, AttributeValue.fromN(Long.toString(workflow.version())));
        item.put(DOCUMENT, AttributeValue.fromS(WorkflowDocument.write(workflow)));
        item.put(OPEN, OPEN_PARTITION);
        item.put(MOVED_AT, millis(workflow.createdAt()));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", WORKFLOW_ID)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Optional<Workflow> find(WorkflowId id) {
        GetItemResponse response = dynamo.getItem(b -> b.tableName(table).key(key(id)).consistentRead(true));
        return response.hasItem() && !response.item().isEmpty()
                ? Optional.of(WorkflowDocument.read(response.item().get(DOCUMENT).s()))
                : Optional.empty();
    }

    @Override
    public boolean update(Workflow next) {
        Map<String, String> names = new HashMap<>(Map.of("#doc", DOCUMENT, "#status", STATUS, "#v", VERSION));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":doc", AttributeValue.fromS(WorkflowDocument.write(next)),
                ":status", AttributeValue.fromS(next.status().wireName()),
                ":v", AttributeValue.fromN(Long.toString(next.version())),
                ":expected", AttributeValue.fromN(Long.toString(next.version() - 1))));
        String expression;
        if (next.status().isTerminal()) {
            names.put("#open", OPEN);
            names.put("#moved", MOVED_AT);
            names.put("#exp", EXPIRES_AT);
            values.put(":exp", AttributeValue.fromN(Long.toString(
                    next.finishedAt().orElseThrow().plus(retention).getEpochSecond())));
            expression = "SET #doc = :doc, #status = :status, #v = :v, #exp = :exp REMOVE #open, #moved";
        } else {
            names.put("#moved", MOVED_AT);
            values.put(":moved", millis(clock.instant()));
            expression = "SET #doc = :doc, #status = :status, #v = :v, #moved = :moved";
        }
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(next.id())).updateExpression(expression)
                    .conditionExpression("#v = :expected").expressionAttributeNames(names)
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public List<WorkflowId> resting(Instant before, int limit) {
        return dynamo.queryPaginator(b -> b.tableName(table).indexName(RESTING_INDEX)
                        .keyConditionExpression("#open = :open AND #moved <= :before")
                        .expressionAttributeNames(Map.of("#open", OPEN, "#moved", MOVED_AT))
                        .expressionAttributeValues(Map.of(":open", OPEN_PARTITION, ":before", millis(before)))
                        .limit(Math.min(limit, 100)))
                .items().stream().limit(limit).map(item -> new WorkflowId(item.get(WORKFLOW_ID).s())).toList();
    }

    @Override
    public void lookedAt(WorkflowId id, Instant at) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(id)).updateExpression("SET #moved = :at")
                    .conditionExpression("attribute_exists(#open)")
                    .expressionAttributeNames(Map.of("#moved", MOVED_AT, "#open", OPEN))
                    .expressionAttributeValues(Map.of(":at", millis(at))));
        } catch (ConditionalCheckFailedException e) {
            // It ended meanwhile: nothing to look at again.
        }
    }

    private static Map<String, AttributeValue> key(WorkflowId id) {
        return Map.of(WORKFLOW_ID, AttributeValue.fromS(id.value()));
    }

    private static AttributeValue millis(Instant at) {
        return AttributeValue.fromN(Long.toString(at.toEpochMilli()));
    }
}
