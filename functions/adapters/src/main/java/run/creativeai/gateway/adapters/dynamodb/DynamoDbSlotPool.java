package run.creativeai.gateway.adapters.dynamodb;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.concurrency.LapsingCount;
import run.creativeai.gateway.concurrency.SlotClaim;
import run.creativeai.gateway.concurrency.SlotGrant;
import run.creativeai.gateway.concurrency.SlotPool;
import run.creativeai.gateway.concurrency.SlotUsage;
import run.creativeai.gateway.concurrency.Tally;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Slot pools in the limit counters table, one item per pool ({@code slots#<pool>}): an attribute
 * {@code h#<holder>} per held slot, valued {@code <class>|<lease end, epoch seconds>}, and counts of
 * held slots in {@code n} and per class in {@code n#<class>}. Taking a slot is one conditional
 * write that adds the holder only if it is not there yet and the counts are under their caps; when
 * the pool is full but some leases have ended, the next claim removes exactly those holders (each
 * checked by its value) and adds itself in one write. Releasing removes the holder only if present,
 * so a slot is freed once whoever frees it: the job's own end, a redelivered message, or expiry.
 *
 * <p>Slots set aside ({@link #setAside}): the shared pool's item records {@code a#<owner>} and counts
 * those slots in {@code n}, so every claim's condition on {@code n} leaves them alone; the owner's
 * own pool item records them as its capacity {@code cap}, which its claims are conditioned on. One
 * transaction changes both.
 *
 * <p>Counted pools ({@link run.creativeai.gateway.concurrency.CountedPools}) live in the same table,
 * laid out by {@link DynamoDbCountedPools}.
 */
public final class DynamoDbSlotPool implements SlotPool {
    static final String PREFIX = "slots#";
    static final String HELD = "n";
    /** In a pool's own item: its capacity, when it is set there ({@link #setAside}) rather than by each claim. */
    static final String CAPACITY = "cap";
    /** In a shared pool's item: the slots set aside for one owner's own pool, counted in {@code n}. */
    static final String SET_ASIDE_FOR = "a#";
    private static final String HOLDER = "h#";
    private static final String NO_CLASS = "-";
    /** Every lease ends well before the item expires, so TTL never removes a pool with a live slot. */
    private static final Duration RETENTION = Duration.ofDays(1);
    private static final Duration LONGEST_LEASE = Duration.ofHours(20);
    private static final int MAX_ATTEMPTS = 16;

    private final DynamoDbClient dynamo;
    private final String table;
    private final DynamoDbCountedPools counted;

    public DynamoDbSlotPool(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
        this.counted = new DynamoDbCountedPools(dynamo, table);
    }

    @Override
    public void count(String pool, List<LapsingCount> counts, Instant now) {
        counted.count(pool, counts, now);
    }

    @Override
    public SlotUsage counted(String pool, Instant now) {
        return counted.counted(pool, now);
    }

    @Override
    public Optional<Tally> tally(String holder) {
        return counted.tally(holder);
    }

    @Override
    public boolean recordTally(Tally tally, long replacing) {
        return counted.recordTally(tally, replacing);
    }

    @Override
    public boolean forgetTally(String holder, long version) {
        return counted.forgetTally(holder, version);
    }

    @Override
    public SlotGrant acquire(SlotClaim claim, Instant now) {
        return acquire(claim, false, now);
    }

    @Override
    public SlotGrant acquireSetAside(String ownPool, String holder, Instant leaseUntil, Instant now) {
        return acquire(new SlotClaim(ownPool, holder, Optional.empty(), Long.MAX_VALUE, Map.of(), leaseUntil), true, now);
    }

    /**
     * @param storedCapacity whether the pool's capacity is the one stored in it ({@code cap}, set by
     *                       {@link #setAside}) rather than the claim's: a claim then first assumes
     *                       room under the stored cap, and after a refusal the cap it saw, unchanged
     */
    private SlotGrant acquire(SlotClaim claim, boolean storedCapacity, Instant now) {
        if (claim.leaseUntil().isAfter(now.plus(LONGEST_LEASE))) {
            throw new IllegalArgumentException("a slot lease may last at most " + LONGEST_LEASE);
        }
        String holderClass = claim.holderClass().orElse(NO_CLASS);
        String value = holderClass + "|" + claim.leaseUntil().getEpochSecond();
        List<Held> expired = List.of();
        Optional<Long> capSeen = Optional.empty();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Map<String, String> names = new HashMap<>();
            Map<String, AttributeValue> values = new HashMap<>();
            names.put("#h", HOLDER + claim.holder());
            names.put("#n", HELD);
            names.put("#exp", DynamoDbLimiter.EXPIRES_AT);
            values.put(":held", AttributeValue.fromS(value));
            values.put(":exp", CounterUpdate.number(now.plus(RETENTION).getEpochSecond()));
            List<String> removes = new ArrayList<>();
            List<String> conditions = new ArrayList<>();
            conditions.add("attribute_not_exists(#h)");
            Map<String, Long> classDelta = new HashMap<>();
            if (!NO_CLASS.equals(holderClass)) {
                classDelta.put(holderClass, 1L);
            }
            for (int i = 0; i < expired.size(); i++) {
                Held old = expired.get(i);
                names.put("#x" + i, HOLDER + old.holder());
                values.put(":x" + i, AttributeValue.fromS(old.value()));
                removes.add("#x" + i);
                conditions.add("#x" + i + " = :x" + i);
                if (!NO_CLASS.equals(old.holderClass())) {
                    classDelta.merge(old.holderClass(), -1L, Long::sum);
                }
            }
            long freed = expired.size();
            values.put(":dn", CounterUpdate.number(1 - freed));
            long capacity = capSeen.orElse(claim.capacity());
            if (storedCapacity) {
                names.put("#cap", CAPACITY);
                if (capSeen.isEmpty()) {
                    values.put(":none", CounterUpdate.number(0));
                    conditions.add("#cap > :none AND (attribute_not_exists(#n) OR #n < #cap)");
                } else {
                    values.put(":seen", CounterUpdate.number(capSeen.get()));
                    conditions.add("#cap = :seen");
                }
            }
            if (capacity != Long.MAX_VALUE && (!storedCapacity || capSeen.isPresent())) {
                values.put(":cap", CounterUpdate.number(capacity + freed));
                conditions.add("(attribute_not_exists(#n) OR #n < :cap)");
            }
            List<String> adds = new ArrayList<>();
            adds.add("#n :dn");
            int c = 0;
            for (Map.Entry<String, Long> delta : classDelta.entrySet()) {
                String name = "#c" + c;
                names.put(name, HELD + "#" + delta.getKey());
                values.put(":dc" + c, CounterUpdate.number(delta.getValue()));
                adds.add(name + " :dc" + c);
                Long cap = claim.classCapacities().get(delta.getKey());
                if (delta.getKey().equals(holderClass) && cap != null) {
                    long freedOfClass = 1 - delta.getValue();
                    values.put(":cc" + c, CounterUpdate.number(cap + freedOfClass));
                    conditions.add("(attribute_not_exists(" + name + ") OR " + name + " < :cc" + c + ")");
                }
                c++;
            }
            String update = "SET #h = :held, #exp = :exp ADD " + String.join(", ", adds)
                    + (removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes));
            try {
                Map<String, AttributeValue> after = dynamo.updateItem(b -> b.tableName(table).key(key(claim.pool()))
                        .updateExpression(update)
                        .conditionExpression(String.join(" AND ", conditions))
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)
                        .returnValues(ReturnValue.ALL_NEW)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).attributes();
                return new SlotGrant.Granted(usage(after, now));
            } catch (ConditionalCheckFailedException e) {
                Map<String, AttributeValue> item = e.hasItem() ? e.item() : Map.of();
                List<Held> holders = holders(item);
                Optional<Held> mine = holders.stream().filter(h -> h.holder().equals(claim.holder())).findFirst();
                if (mine.isPresent()) {
                    if (renewed(claim, mine.get(), value, now)) {
                        return new SlotGrant.Granted(usage(item, now));
                    }
                    // The expired slot was taken over meanwhile: claim afresh.
                    expired = List.of();
                    continue;
                }
                if (storedCapacity) {
                    capSeen = Optional.of(CounterItem.number(item, CAPACITY).orElse(0L));
                    capacity = capSeen.get();
                }
                List<Held> ended = holders.stream().filter(h -> !h.leaseUntil().isAfter(now)).toList();
                long live = holders.size() - ended.size() + setAside(item);
                long liveOfClass = holders.stream().filter(h -> h.leaseUntil().isAfter(now))
                        .filter(h -> h.holderClass().equals(holderClass)).count();
                boolean totalFull = live >= capacity;
                boolean classFull = claim.classCapacity().map(cap -> liveOfClass >= cap).orElse(false);
                if (totalFull || classFull) {
                    return new SlotGrant.Full(classFull ? new SlotGrant.ClassFull(holderClass) : new SlotGrant.PoolFull(),
                            usage(item, now));
                }
                expired = ended;
            }
        }
        throw new IllegalStateException("slot pool " + claim.pool() + " kept changing for " + MAX_ATTEMPTS + " attempts");
    }

    /**
     * A holder claiming again keeps its slot, and its lease is extended when less than half of the
     * new lease is left (so a claim repeated every few seconds writes only now and then). An expired
     * slot is kept only if no other claim took it over first: the write is conditional on its value.
     */
    private boolean renewed(SlotClaim claim, Held held, String value, Instant now) {
        Duration wanted = Duration.between(now, claim.leaseUntil());
        boolean due = held.leaseUntil().isBefore(claim.leaseUntil().minus(wanted.dividedBy(2)));
        if (!due) {
            return true;
        }
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(claim.pool()))
                    .updateExpression("SET #h = :held")
                    .conditionExpression("#h = :old")
                    .expressionAttributeNames(Map.of("#h", HOLDER + claim.holder()))
                    .expressionAttributeValues(Map.of(":held", AttributeValue.fromS(value),
                            ":old", AttributeValue.fromS(held.value()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            // Released or renewed by someone else: still held only if it had not expired.
            return held.leaseUntil().isAfter(now);
        }
    }

    @Override
    public boolean release(String pool, String holder, Optional<String> holderClass) {
        String guess = holderClass.orElse(NO_CLASS);
        for (int attempt = 0; attempt < 2; attempt++) {
            String heldClass = guess;
            Map<String, String> names = new HashMap<>();
            Map<String, AttributeValue> values = new HashMap<>();
            names.put("#h", HOLDER + holder);
            names.put("#n", HELD);
            values.put(":prefix", AttributeValue.fromS(heldClass + "|"));
            values.put(":minus", CounterUpdate.number(-1));
            String adds = "#n :minus";
            if (!NO_CLASS.equals(heldClass)) {
                names.put("#c", HELD + "#" + heldClass);
                adds += ", #c :minus";
            }
            String update = "REMOVE #h ADD " + adds;
            try {
                dynamo.updateItem(b -> b.tableName(table).key(key(pool))
                        .updateExpression(update)
                        .conditionExpression("begins_with(#h, :prefix)")
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                return true;
            } catch (ConditionalCheckFailedException e) {
                Map<String, AttributeValue> item = e.hasItem() ? e.item() : Map.of();
                Optional<Held> held = holders(item).stream().filter(h -> h.holder().equals(holder)).findFirst();
                if (held.isEmpty()) {
                    return false;
                }
                guess = held.get().holderClass();
            }
        }
        return false;
    }

    @Override
    public SlotUsage usage(String pool, Instant now) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(pool)).consistentRead(true))
                .item();
        return usage(item == null ? Map.of() : item, now);
    }

    private static SlotUsage usage(Map<String, AttributeValue> item, Instant now) {
        long setAside = setAside(item);
        long active = setAside;
        Map<String, Long> byClass = new HashMap<>();
        if (setAside > 0) {
            byClass.put(SET_ASIDE, setAside);
        }
        for (Held held : holders(item)) {
            if (held.leaseUntil().isAfter(now)) {
                active++;
                if (!NO_CLASS.equals(held.holderClass())) {
                    byClass.merge(held.holderClass(), 1L, Long::sum);
                }
            }
        }
        return new SlotUsage(active, byClass);
    }

    /** Slots set aside in the pool for owners' own pools ({@code a#<owner>}), counted in {@code n}. */
    private static long setAside(Map<String, AttributeValue> item) {
        long total = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            if (attribute.getKey().startsWith(SET_ASIDE_FOR) && attribute.getValue().n() != null) {
                total += Long.parseLong(attribute.getValue().n());
            }
        }
        return total;
    }

    @Override
    public SetAside setAside(String pool, long poolCapacity, String owner, String ownPool, long slots) {
        if (slots < 0) {
            throw new IllegalArgumentException("slots set aside are never negative");
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> shared = item(pool);
            long before = CounterItem.number(shared, SET_ASIDE_FOR + owner).orElse(0L);
            long delta = slots - before;
            if (delta == 0) {
                return new SetAside.Done(before, slots);
            }
            Map<String, String> names = new HashMap<>(Map.of("#a", SET_ASIDE_FOR + owner, "#n", HELD));
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":delta", CounterUpdate.number(delta),
                    ":before", CounterUpdate.number(before)));
            String condition = before == 0 ? "(attribute_not_exists(#a) OR #a = :before)" : "#a = :before";
            if (delta > 0) {
                // Room now for what is set aside on top: held slots and other set-asides leave at least that many.
                values.put(":room", CounterUpdate.number(poolCapacity - delta));
                condition += " AND (attribute_not_exists(#n) OR #n <= :room)";
            }
            String update = (slots == 0 ? "REMOVE #a" : "SET #a = :slots") + " ADD #n :delta";
            if (slots > 0) {
                values.put(":slots", CounterUpdate.number(slots));
            }
            String sharedCondition = condition;
            Map<String, String> ownNames = new HashMap<>(Map.of("#cap", CAPACITY, "#n", HELD));
            Map<String, AttributeValue> ownValues = new HashMap<>(Map.of(":slots", CounterUpdate.number(slots)));
            // Fewer set aside: the owner's own pool must not hold more than it keeps.
            String ownCondition = delta < 0 ? "attribute_not_exists(#n) OR #n <= :slots" : null;
            List<TransactWriteItem> writes = List.of(
                    TransactWriteItem.builder().update(u -> u.tableName(table).key(key(pool))
                            .updateExpression(update).conditionExpression(sharedCondition)
                            .expressionAttributeNames(names).expressionAttributeValues(values)
                            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build(),
                    TransactWriteItem.builder().update(u -> u.tableName(table).key(key(ownPool))
                            .updateExpression("SET #cap = :slots").conditionExpression(ownCondition)
                            .expressionAttributeNames(ownCondition == null ? Map.of("#cap", CAPACITY) : ownNames)
                            .expressionAttributeValues(ownValues)
                            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build());
            try {
                dynamo.transactWriteItems(b -> b.transactItems(writes));
                return new SetAside.Done(before, slots);
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.cancellationReasons();
                if (reasons.size() > 1 && "ConditionalCheckFailed".equals(reasons.get(1).code())) {
                    return new SetAside.StillHeld(reasons.get(1).hasItem()
                            ? CounterItem.number(reasons.get(1).item(), HELD).orElse(0L) : 0);
                }
                if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code()) && reasons.get(0).hasItem()) {
                    Map<String, AttributeValue> now = reasons.get(0).item();
                    if (CounterItem.number(now, SET_ASIDE_FOR + owner).orElse(0L) == before) {
                        return new SetAside.NoRoom(Math.max(0, poolCapacity - CounterItem.number(now, HELD).orElse(0L)));
                    }
                }
                // The set-aside changed under this write, or a transaction held an item: read again.
            }
        }
        throw new IllegalStateException("slot pool " + pool + " kept changing for " + MAX_ATTEMPTS + " attempts");
    }

    private Map<String, AttributeValue> item(String pool) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(pool)).consistentRead(true))
                .item();
        return item == null ? Map.of() : item;
    }

    private static List<Held> holders(Map<String, AttributeValue> item) {
        List<Held> holders = new ArrayList<>();
        item.forEach((name, value) -> {
            if (name.startsWith(HOLDER) && value.s() != null) {
                int bar = value.s().lastIndexOf('|');
                holders.add(new Held(name.substring(HOLDER.length()), value.s().substring(0, bar),
                        Instant.ofEpochSecond(Long.parseLong(value.s().substring(bar + 1))), value.s()));
            }
        });
        return holders;
    }

    private static Map<String, AttributeValue> key(String pool) {
        return Map.of(DynamoDbLimiter.PK, AttributeValue.fromS(PREFIX + pool));
    }

    private record Held(String holder, String holderClass, Instant leaseUntil, String value) {
    }
}
