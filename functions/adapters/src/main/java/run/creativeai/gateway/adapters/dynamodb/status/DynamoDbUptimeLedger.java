package run.creativeai.gateway.adapters.dynamodb.status;

import static run.creativeai.gateway.adapters.dynamodb.status.StatusTable.PK;
import static run.creativeai.gateway.adapters.dynamodb.status.StatusTable.SK;
import static run.creativeai.gateway.adapters.dynamodb.status.StatusTable.key;
import static run.creativeai.gateway.adapters.dynamodb.status.StatusTable.number;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import run.creativeai.gateway.status.ComponentId;
import run.creativeai.gateway.status.ComponentStatus;
import run.creativeai.gateway.status.UptimeLedger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Uptime minutes in the status table: one item per UTC day, one numeric attribute per component
 * and status ({@code seedream|partial_outage}), each minute added to all of them by one
 * {@code UpdateItem} whose condition ({@code last_minute} below this minute) makes a repeated sample
 * count once. A day's item expires {@value #KEPT_DAYS} days after the day: 90 days are shown, the
 * rest is a year of record.
 */
public final class DynamoDbUptimeLedger implements UptimeLedger {
    static final String PARTITION = "uptime";
    static final String LAST_MINUTE = "last_minute";
    static final int KEPT_DAYS = 400;
    private static final char SEPARATOR = '|';

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbUptimeLedger(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public boolean record(Instant minute, Map<ComponentId, ComponentStatus> statuses) {
        LocalDate day = LocalDate.ofInstant(minute, ZoneOffset.UTC);
        Map<String, String> names = new HashMap<>(Map.of("#last", LAST_MINUTE, "#exp", StatusTable.EXPIRES_AT));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":minute", number(minute.getEpochSecond()),
                ":one", number(1), ":exp", StatusTable.expiry(day.atStartOfDay(ZoneOffset.UTC).toInstant()
                        .plus(Duration.ofDays(KEPT_DAYS)))));
        List<String> additions = new ArrayList<>();
        int i = 0;
        for (Map.Entry<ComponentId, ComponentStatus> entry : statuses.entrySet()) {
            names.put("#c" + i, entry.getKey().value() + SEPARATOR + entry.getValue().wireName());
            additions.add("#c" + i + " :one");
            i++;
        }
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(PARTITION, day.toString()))
                    .updateExpression("SET #last = :minute, #exp = :exp ADD " + String.join(", ", additions))
                    .conditionExpression("attribute_not_exists(#last) OR #last < :minute")
                    .expressionAttributeNames(names).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public List<UptimeDay> days(LocalDate from, LocalDate to) {
        List<UptimeDay> days = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> after = start;
            QueryResponse page = dynamo.query(b -> b.tableName(table)
                    .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :to")
                    .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(PARTITION),
                            ":from", AttributeValue.fromS(from.toString()), ":to", AttributeValue.fromS(to.toString())))
                    .exclusiveStartKey(after));
            for (Map<String, AttributeValue> item : page.items()) {
                Map<ComponentId, Map<ComponentStatus, Integer>> minutes = new LinkedHashMap<>();
                item.forEach((name, value) -> {
                    int at = name.indexOf(SEPARATOR);
                    if (at > 0 && value.n() != null) {
                        ComponentStatus.fromWire(name.substring(at + 1)).ifPresent(status -> minutes
                                .computeIfAbsent(new ComponentId(name.substring(0, at)), c -> new EnumMap<>(ComponentStatus.class))
                                .put(status, Integer.parseInt(value.n())));
                    }
                });
                days.add(new UptimeDay(LocalDate.parse(item.get(SK).s()), minutes,
                        StatusTable.optionalNumber(item, LAST_MINUTE).map(Instant::ofEpochSecond)));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return days;
    }
}
