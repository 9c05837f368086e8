package run.creativeai.gateway.adapters.dynamodb;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import run.creativeai.gateway.provider.CircuitBreaker;
import run.creativeai.gateway.provider.CircuitPolicy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Provider circuits in DynamoDB, one item per provider, so every dispatcher instance sees the same
 * circuit. Failures are counted with an atomic {@code ADD}; the move to open, and the single probe
 * after the cool-down, are conditional writes that exactly one instance wins. Every submission
 * reads the circuit fresh (a stale "closed" would send one more call to a dead provider); a success
 * on a healthy circuit writes nothing, so the usual cost is one read per submission.
 */
public final class DynamoDbCircuitBreaker implements CircuitBreaker {
    static final String PROVIDER = "provider";
    static final String STATE = "state";
    static final String FAILURES = "failures";
    static final String OPENED_AT = "opened_at";
    static final String PROBE_UNTIL = "probe_until";
    private static final Duration CACHE = Duration.ofSeconds(1);

    private final DynamoDbClient dynamo;
    private final String table;
    private final CircuitPolicy policy;
    private final Map<String, Snapshot> cache = new ConcurrentHashMap<>();

    public DynamoDbCircuitBreaker(DynamoDbClient dynamo, String table, CircuitPolicy policy) {
        this.dynamo = dynamo;
        this.table = table;
        this.policy = policy;
    }

    private record Snapshot(CircuitStatus status, long failures, Instant openedAt, Instant probeUntil, Instant readAt) {
        static Snapshot of(Map<String, AttributeValue> item, Instant now) {
            if (item == null || item.isEmpty()) {
                return new Snapshot(CircuitStatus.CLOSED, 0, Instant.EPOCH, Instant.EPOCH, now);
            }
            return new Snapshot(
                    CircuitStatus.valueOf(item.getOrDefault(STATE, AttributeValue.fromS("CLOSED")).s()),
                    number(item, FAILURES),
                    Instant.ofEpochMilli(number(item, OPENED_AT)),
                    Instant.ofEpochMilli(number(item, PROBE_UNTIL)),
                    now);
        }

        private static long number(Map<String, AttributeValue> item, String name) {
            AttributeValue v = item.get(name);
            return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
        }
    }

    @Override
    public Permission acquire(String provider, Instant now) {
        Snapshot circuit = read(provider, now);
        switch (circuit.status()) {
            case CLOSED:
                return Permission.ALLOWED;
            case OPEN:
                if (now.isBefore(circuit.openedAt().plus(policy.coolDown()))) {
                    return Permission.DENIED;
                }
                return takeProbe(provider, now, "#s = :open AND #opened <= :due",
                        Map.of(":open", AttributeValue.fromS("OPEN"),
                                ":due", millis(now.minus(policy.coolDown()))));
            default:
                if (now.isBefore(circuit.probeUntil())) {
                    return Permission.DENIED;
                }
                return takeProbe(provider, now, "#s = :half AND #probe < :now",
                        Map.of(":half", AttributeValue.fromS("HALF_OPEN"), ":now", millis(now)));
        }
    }

    private Permission takeProbe(String provider, Instant now, String condition, Map<String, AttributeValue> values) {
        Map<String, AttributeValue> all = new java.util.HashMap<>(values);
        all.put(":halfOpen", AttributeValue.fromS("HALF_OPEN"));
        all.put(":until", millis(now.plus(policy.probeTimeout())));
        try {
            UpdateItemResponse response = dynamo.updateItem(b -> b.tableName(table).key(key(provider))
                    .updateExpression("SET #s = :halfOpen, #probe = :until")
                    .conditionExpression(condition)
                    .expressionAttributeNames(condition.contains("#opened")
                            ? Map.of("#s", STATE, "#probe", PROBE_UNTIL, "#opened", OPENED_AT)
                            : Map.of("#s", STATE, "#probe", PROBE_UNTIL))
                    .expressionAttributeValues(all)
                    .returnValues(ReturnValue.ALL_NEW));
            cache.put(provider, Snapshot.of(response.attributes(), now));
            return Permission.PROBE;
        } catch (ConditionalCheckFailedException e) {
            cache.remove(provider);
            return Permission.DENIED;
        }
    }

    @Override
    public void succeeded(String provider, Instant now) {
        Snapshot circuit = snapshot(provider, now);
        if (circuit.status() == CircuitStatus.CLOSED && circuit.failures() == 0) {
            return;
        }
        UpdateItemResponse response = dynamo.updateItem(b -> b.tableName(table).key(key(provider))
                .updateExpression("SET #s = :closed, #f = :zero REMOVE #opened, #probe")
                .expressionAttributeNames(Map.of("#s", STATE, "#f", FAILURES, "#opened", OPENED_AT, "#probe", PROBE_UNTIL))
                .expressionAttributeValues(Map.of(":closed", AttributeValue.fromS("CLOSED"), ":zero", AttributeValue.fromN("0")))
                .returnValues(ReturnValue.ALL_NEW));
        cache.put(provider, Snapshot.of(response.attributes(), now));
    }

    @Override
    public void failed(String provider, Instant now) {
        UpdateItemResponse counted = dynamo.updateItem(b -> b.tableName(table).key(key(provider))
                .updateExpression("ADD #f :one")
                .expressionAttributeNames(Map.of("#f", FAILURES))
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))
                .returnValues(ReturnValue.ALL_NEW));
        Snapshot circuit = Snapshot.of(counted.attributes(), now);
        boolean probeFailed = circuit.status() == CircuitStatus.HALF_OPEN;
        boolean tripped = circuit.status() == CircuitStatus.CLOSED && circuit.failures() >= policy.failureThreshold();
        if (!probeFailed && !tripped) {
            cache.put(provider, circuit);
            return;
        }
        try {
            UpdateItemResponse opened = dynamo.updateItem(b -> b.tableName(table).key(key(provider))
                    .updateExpression("SET #s = :open, #opened = :now REMOVE #probe")
                    .conditionExpression("attribute_not_exists(#s) OR #s = :from")
                    .expressionAttributeNames(Map.of("#s", STATE, "#opened", OPENED_AT, "#probe", PROBE_UNTIL))
                    .expressionAttributeValues(Map.of(":open", AttributeValue.fromS("OPEN"), ":now", millis(now),
                            ":from", AttributeValue.fromS(circuit.status().name())))
                    .returnValues(ReturnValue.ALL_NEW));
            cache.put(provider, Snapshot.of(opened.attributes(), now));
        } catch (ConditionalCheckFailedException e) {
            cache.remove(provider);
        }
    }

    @Override
    public CircuitStatus status(String provider, Instant now) {
        return read(provider, now).status();
    }

    /** The latest known state, read within the last second, for deciding whether an outcome needs a write. */
    private Snapshot snapshot(String provider, Instant now) {
        Snapshot cached = cache.get(provider);
        if (cached != null && now.isBefore(cached.readAt().plus(CACHE)) && !now.isBefore(cached.readAt())) {
            return cached;
        }
        return read(provider, now);
    }

    private Snapshot read(String provider, Instant now) {
        GetItemResponse response = dynamo.getItem(b -> b.tableName(table).key(key(provider)).consistentRead(true));
        Snapshot snapshot = Snapshot.of(response.hasItem() ? response.item() : null, now);
        cache.put(provider, snapshot);
        return snapshot;
    }

    private static Map<String, AttributeValue> key(String provider) {
        return Map.of(PROVIDER, AttributeValue.fromS(provider));
    }

    private static AttributeValue millis(Instant at) {
        return AttributeValue.fromN(Long.toString(at.toEpochMilli()));
    }
}
