package run.creativeai.gateway.adapters.dynamodb;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.media.ImageFormat;
import run.creativeai.gateway.media.Upload;
import run.creativeai.gateway.media.UploadId;
import run.creativeai.gateway.media.UploadStore;
import run.creativeai.gateway.tenant.TenantId;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The uploads table: one item per upload ({@code upload_id}), written once when its URL is signed,
 * read with a consistent read when a job names it. Items expire by TTL ({@code expires_at}) a day
 * after the upload stops being usable; a read treats nothing as absent on its own account, since the
 * record's times already say when an upload expired.
 */
public final class DynamoDbUploadStore implements UploadStore {
    static final String UPLOAD_ID = "upload_id";
    static final String TENANT_ID = "tenant_id";
    static final String CONTENT_TYPE = "content_type";
    static final String SIZE_BYTES = "size_bytes";
    static final String CREATED_AT = "created_at";
    static final String UPLOAD_BY = "upload_by";
    static final String USABLE_UNTIL = "usable_until";
    static final String EXPIRES_AT = "expires_at";
    /** Kept past its usable end, so a late request is told the upload expired rather than that it never was. */
    private static final Duration KEPT_AFTER_USE = Duration.ofDays(1);

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbUploadStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void create(Upload upload) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(UPLOAD_ID, AttributeValue.fromS(upload.id().value()));
        item.put(TENANT_ID, AttributeValue.fromS(upload.tenant().value()));
        item.put(CONTENT_TYPE, AttributeValue.fromS(upload.declaredFormat().contentType()));
        item.put(SIZE_BYTES, AttributeValue.fromN(Long.toString(upload.declaredBytes())));
        item.put(CREATED_AT, AttributeValue.fromS(upload.createdAt().toString()));
        item.put(UPLOAD_BY, AttributeValue.fromS(upload.uploadBy().toString()));
        item.put(USABLE_UNTIL, AttributeValue.fromS(upload.usableUntil().toString()));
        item.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(upload.usableUntil().plus(KEPT_AFTER_USE).getEpochSecond())));
        // Ids are random: a collision is a bug, never an overwrite of someone's upload.
        dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(#id)")
                .expressionAttributeNames(Map.of("#id", UPLOAD_ID)));
    }

    @Override
    public Optional<Upload> find(UploadId id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(UPLOAD_ID, AttributeValue.fromS(id.value())))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Upload(id, new TenantId(item.get(TENANT_ID).s()),
                ImageFormat.fromContentType(item.get(CONTENT_TYPE).s()).orElseThrow(),
                Long.parseLong(item.get(SIZE_BYTES).n()),
                Instant.parse(item.get(CREATED_AT).s()),
                Instant.parse(item.get(UPLOAD_BY).s()),
                Instant.parse(item.get(USABLE_UNTIL).s())));
    }
}
