package run.creativeai.gateway.adapters.dynamodb;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import run.creativeai.gateway.provider.CircuitBreaker;
import run.creativeai.gateway.provider.CircuitPolicy;
import run.creativeai.gateway.provider.CircuitState;
import run.creativeai.gateway.provider.CircuitTransition;
import run.creativeai.gateway.provider.Unavailability;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Provider circuits in DynamoDB, one item per provider, so every dispatcher instance sees the same
 * circuit. Failures are counted with an atomic {@code ADD} (the kinds of failure too, as a string
 * set); the move to open, and the single probe after the cool-down, are conditional writes that
 * exactly one instance wins; the close returns the item as it was, so exactly one instance sees that
 * its write ended an outage. Every submission reads the circuit fresh (a stale "closed" would send
 * one more call to a dead provider); a success on a healthy circuit writes nothing, so the usual cost
 * is one read per submission.
 */
public final class DynamoDbCircuitBreaker implements CircuitBreaker {
    static final String PROVIDER = "provider";
    static final String STATE = "state";
    static final String FAILURES = "failures";
    static final String FAILURE_KINDS = "failure_kinds";
    static final String OPENED_AT = "opened_at";
    /** When the closed circuit tripped: the start of the outage, kept while failed probes open it again. */
    static final String TRIPPED_AT = "tripped_at";
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

    private record Snapshot(CircuitStatus status, long failures, Set<Unavailability> kinds, Instant openedAt,
            Optional<Instant> trippedAt, Instant probeUntil, Instant readAt) {
        static Snapshot of(Map<String, AttributeValue> item, Instant now) {
            if (item == null || item.isEmpty()) {
                return new Snapshot(CircuitStatus.CLOSED, 0, Set.of(), Instant.EPOCH, Optional.empty(), Instant.EPOCH, now);
            }
            Set<Unavailability> kinds = EnumSet.noneOf(Unavailability.class);
            AttributeValue stored = item.get(FAILURE_KINDS);
            if (stored != null && stored.hasSs()) {
                stored.ss().forEach(name -> Unavailability.fromWire(name).ifPresent(kinds::add));
            }
            Instant openedAt = Instant.ofEpochMilli(number(item, OPENED_AT));
            CircuitStatus status = CircuitStatus.valueOf(item.getOrDefault(STATE, AttributeValue.fromS("CLOSED")).s());
            // A circuit opened before outages were dated began its outage when it opened, as far as anyone knows.
            Optional<Instant> tripped = item.containsKey(TRIPPED_AT) ? Optional.of(Instant.ofEpochMilli(number(item, TRIPPED_AT)))
                    : status == CircuitStatus.CLOSED ? Optional.empty() : Optional.of(openedAt);
            return new Snapshot(status, number(item, FAILURES), kinds, openedAt, tripped,
                    Instant.ofEpochMilli(number(item, PROBE_UNTIL)), now);
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
        Map<String, AttributeValue> all = new HashMap<>(values);
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
    public CircuitTransition succeeded(String provider, Instant now) {
        Snapshot circuit = snapshot(provider, now);
        if (circuit.status() == CircuitStatus.CLOSED && circuit.failures() == 0) {
            return CircuitTransition.UNCHANGED;
        }
        // Unconditional, returning the item as it was: of all the instances closing the circuit at once,
        // exactly one finds it was not closed before its write.
        UpdateItemResponse response = dynamo.updateItem(b -> b.tableName(table).key(key(provider))
                .updateExpression("SET #s = :closed, #f = :zero REMOVE #opened, #probe, #tripped, #kinds")
                .expressionAttributeNames(Map.of("#s", STATE, "#f", FAILURES, "#opened", OPENED_AT, "#probe", PROBE_UNTIL,
                        "#tripped", TRIPPED_AT, "#kinds", FAILURE_KINDS))
                .expressionAttributeValues(Map.of(":closed", AttributeValue.fromS("CLOSED"), ":zero", AttributeValue.fromN("0")))
                .returnValues(ReturnValue.ALL_OLD));
        Snapshot before = Snapshot.of(response.attributes(), now);
        cache.put(provider, Snapshot.of(null, now));
        if (before.status() == CircuitStatus.CLOSED) {
            return CircuitTransition.UNCHANGED;
        }
        return new CircuitTransition.Closed(before.trippedAt().orElse(before.openedAt()));
    }

    @Override
    public CircuitTransition failed(String provider, Unavailability kind, Instant now) {
        UpdateItemResponse counted = dynamo.updateItem(b -> b.tableName(table).key(key(provider))
                .updateExpression("ADD #f :one, #kinds :kind")
                .expressionAttributeNames(Map.of("#f", FAILURES, "#kinds", FAILURE_KINDS))
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"),
                        ":kind", AttributeValue.fromSs(java.util.List.of(kind.wireName()))))
                .returnValues(ReturnValue.ALL_NEW));
        Snapshot circuit = Snapshot.of(counted.attributes(), now);
        boolean probeFailed = circuit.status() == CircuitStatus.HALF_OPEN;
        boolean tripped = circuit.status() == CircuitStatus.CLOSED && circuit.failures() >= policy.failureThreshold();
        if (!probeFailed && !tripped) {
            cache.put(provider, circuit);
            return CircuitTransition.UNCHANGED;
        }
        try {
            // Tripping dates the outage; a failed probe opens the circuit again within the same outage.
            UpdateItemResponse opened = dynamo.updateItem(b -> b.tableName(table).key(key(provider))
                    .updateExpression(tripped ? "SET #s = :open, #opened = :now, #tripped = :now REMOVE #probe"
                            : "SET #s = :open, #opened = :now, #tripped = if_not_exists(#tripped, :now) REMOVE #probe")
                    .conditionExpression("attribute_not_exists(#s) OR #s = :from")
                    .expressionAttributeNames(Map.of("#s", STATE, "#opened", OPENED_AT, "#probe", PROBE_UNTIL,
                            "#tripped", TRIPPED_AT))
                    .expressionAttributeValues(Map.of(":open", AttributeValue.fromS("OPEN"), ":now", millis(now),
                            ":from", AttributeValue.fromS(circuit.status().name())))
                    .returnValues(ReturnValue.ALL_NEW));
            Snapshot open = Snapshot.of(opened.attributes(), now);
            cache.put(provider, open);
            // Dated as stored (milliseconds): the incident it opens is found again by what later reads say.
            return tripped ? new CircuitTransition.Opened(open.trippedAt().orElseThrow(), open.kinds())
                    : CircuitTransition.UNCHANGED;
        } catch (ConditionalCheckFailedException e) {
            cache.remove(provider);
            return CircuitTransition.UNCHANGED;
        }
    }

    @Override
    public CircuitStatus status(String provider, Instant now) {
        return read(provider, now).status();
    }

    @Override
    public CircuitState describe(String provider, Instant now) {
        return state(read(provider, now));
    }

    /** One strongly consistent BatchGetItem for every provider's circuit (a provider without an item is closed). */
    @Override
    public Map<String, CircuitState> describeAll(Collection<String> providers, Instant now) {
        List<String> distinct = providers.stream().distinct().toList();
        Map<String, Map<String, AttributeValue>> items = new HashMap<>();
        for (int from = 0; from < distinct.size(); from += 100) {
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().consistentRead(true)
                    .keys(distinct.subList(from, Math.min(distinct.size(), from + 100)).stream()
                            .map(DynamoDbCircuitBreaker::key).toList()).build());
            while (!request.isEmpty()) {
                Map<String, KeysAndAttributes> ask = request;
                BatchGetItemResponse response = dynamo.batchGetItem(b -> b.requestItems(ask));
                response.responses().getOrDefault(table, List.of())
                        .forEach(item -> items.put(item.get(PROVIDER).s(), item));
                request = response.hasUnprocessedKeys() && !response.unprocessedKeys().isEmpty()
                        ? response.unprocessedKeys() : Map.of();
            }
        }
        Map<String, CircuitState> states = new LinkedHashMap<>();
        for (String provider : distinct) {
            Snapshot snapshot = Snapshot.of(items.get(provider), now);
            cache.put(provider, snapshot);
            states.put(provider, state(snapshot));
        }
        return states;
    }

    private CircuitState state(Snapshot circuit) {
        return switch (circuit.status()) {
            case CLOSED -> new CircuitState(CircuitStatus.CLOSED, Optional.empty(), Optional.empty(), circuit.failures(),
                    circuit.kinds(), Optional.empty());
            case OPEN -> new CircuitState(CircuitStatus.OPEN, circuit.trippedAt(), Optional.of(circuit.openedAt()),
                    circuit.failures(), circuit.kinds(), Optional.of(circuit.openedAt().plus(policy.coolDown())));
            case HALF_OPEN -> new CircuitState(CircuitStatus.HALF_OPEN, circuit.trippedAt(), Optional.of(circuit.openedAt()),
                    circuit.failures(), circuit.kinds(), Optional.of(circuit.probeUntil()));
        };
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
