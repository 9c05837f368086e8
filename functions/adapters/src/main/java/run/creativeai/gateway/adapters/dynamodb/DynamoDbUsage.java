package run.creativeai.gateway.adapters.dynamodb;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import run.creativeai.gateway.billing.UsageEntry;
import run.creativeai.gateway.billing.UsageLedger;
import run.creativeai.gateway.tenant.TenantId;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Usage counters in the accounts table, one item per tenant, day, model and key
 * ({@code usage#<tenant>} / {@code <yyyy-mm-dd>#<model>#<key id>}), added to by settlement. A range
 * of days is one query on the tenant's partition, between the first day and the end of the last.
 */
public final class DynamoDbUsage implements UsageLedger {
    static final String JOBS = "jobs";
    static final String SUCCEEDED = "succeeded";
    static final String FAILED = "failed";
    static final String CANCELED = "canceled";
    static final String IMAGES = "images";
    static final String VIDEO_SECONDS = "video_seconds";
    static final String CHARGED = "credits_charged";
    static final String REFUNDED = "credits_refunded";
    /** Sorts after every model and key id (all ASCII) of a day's items. */
    private static final String END_OF_DAY = "#\uFFFF";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbUsage(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    static String sortKey(UsageEntry entry) {
        return entry.day() + "#" + entry.model() + "#" + entry.key();
    }

    /** The counters an entry adds, by attribute name. */
    static Map<String, Long> counts(UsageEntry u) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put(JOBS, u.jobs());
        counts.put(SUCCEEDED, u.succeeded());
        counts.put(FAILED, u.failed());
        counts.put(CANCELED, u.canceled());
        counts.put(IMAGES, u.images());
        counts.put(VIDEO_SECONDS, u.videoSeconds());
        counts.put(CHARGED, u.creditsCharged());
        counts.put(REFUNDED, u.creditsRefunded());
        return counts;
    }

    @Override
    public List<UsageEntry> entries(TenantId tenant, LocalDate from, LocalDate to) {
        List<UsageEntry> entries = new ArrayList<>();
        dynamo.queryPaginator(b -> b.tableName(table)
                        .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :to")
                        .expressionAttributeNames(Map.of("#pk", AccountItems.PK, "#sk", AccountItems.SK))
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(AccountItems.usagePartition(tenant)),
                                ":from", AttributeValue.fromS(from.toString()),
                                ":to", AttributeValue.fromS(to + END_OF_DAY))))
                .items().forEach(item -> entries.add(entry(item)));
        return entries;
    }

    private static UsageEntry entry(Map<String, AttributeValue> item) {
        String[] parts = item.get(AccountItems.SK).s().split("#", 3);
        return new UsageEntry(LocalDate.parse(parts[0]), parts[1], parts[2], n(item, JOBS), n(item, SUCCEEDED),
                n(item, FAILED), n(item, CANCELED), n(item, IMAGES), n(item, VIDEO_SECONDS), n(item, CHARGED),
                n(item, REFUNDED));
    }

    private static long n(Map<String, AttributeValue> item, String name) {
        return CounterItem.number(item, name).orElse(0L);
    }
}
