package run.creativeai.gateway.adapters.dynamodb;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import run.creativeai.gateway.limits.LimitCharge;
import run.creativeai.gateway.limits.RateLimitRule;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One conditional write that counts a request against every rule kept in one counter item. Its
 * condition says what the write assumes (the window a fixed counter is in and that it has room, the
 * exact old value of each ring slot it takes over); if the item turns out otherwise, DynamoDB
 * refuses the write and returns the item, from which the limiter decides again. Fixed counters in
 * their current window are incremented with ADD and condition only on their limit, so concurrent
 * requests on one key all succeed until the limit, without retries.
 */
final class CounterUpdate {
    private final List<String> sets = new ArrayList<>();
    private final List<String> adds = new ArrayList<>();
    private final List<String> conditions = new ArrayList<>();
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, AttributeValue> values = new HashMap<>();
    private final Map<String, AttributeValue> predicted;
    private int placeholders;

    private CounterUpdate(Map<String, AttributeValue> predicted) {
        this.predicted = predicted;
    }

    /**
     * @param snapshot the item as last seen (empty map: known not to exist), or empty when unknown
     * @param strict   whether the write must pin down the resulting counts (inside a transaction,
     *                 which returns no item): an unknown item is then assumed not to exist yet
     * @param exact    with strict: whether the write also assumes every count is still what the snapshot
     *                 says, so that the counts it leaves are known exactly (at the price of failing when
     *                 another instance counted meanwhile); without it a fixed counter only assumes room
     */
    static CounterUpdate plan(List<LimitCharge> charges, Optional<Map<String, AttributeValue>> snapshot, Instant now,
            Duration retention, boolean strict, boolean exact, RandomGenerator random) {
        Map<String, AttributeValue> known = snapshot.orElse(Map.of());
        CounterUpdate update = new CounterUpdate(new LinkedHashMap<>(known));
        for (LimitCharge charge : charges) {
            if (charge.rule().kind() == RateLimitRule.Kind.FIXED) {
                update.fixed(charge, snapshot, now, strict, exact);
            } else {
                update.rolling(charge, snapshot, now, exact, random);
            }
        }
        String expires = update.name(DynamoDbLimiter.EXPIRES_AT);
        AttributeValue expiry = number(now.plus(retention).getEpochSecond());
        update.sets.add(expires + " = " + update.value(expiry));
        update.predicted.put(DynamoDbLimiter.EXPIRES_AT, expiry);
        return update;
    }

    private void fixed(LimitCharge charge, Optional<Map<String, AttributeValue>> snapshot, Instant now,
            boolean strict, boolean exact) {
        RateLimitRule rule = charge.rule();
        String w = name(CounterItem.windowAttribute(rule));
        String c = name(CounterItem.countAttribute(rule));
        long current = rule.windowIndex(now);
        Optional<Long> stored = snapshot.flatMap(item -> CounterItem.storedWindow(rule, item));
        if (stored.isPresent() && stored.get() < current) {
            // A new window: start it over the old one, unless another instance already has.
            sets.add(w + " = " + value(number(current)));
            sets.add(c + " = " + value(number(charge.cost())));
            conditions.add(w + " = " + value(number(stored.get())));
            predict(rule, current, charge.cost());
            return;
        }
        long window = stored.orElse(current);
        AttributeValue headroom = number(rule.limit() - charge.cost());
        String idx = value(number(window));
        sets.add(w + " = " + idx);
        adds.add(c + " " + value(number(charge.cost())));
        if (stored.isPresent()) {
            long count = CounterItem.number(snapshot.get(), CounterItem.countAttribute(rule)).orElse(0L);
            conditions.add("(" + w + " = " + idx + " AND " + c + (exact ? " = " + value(number(count))
                    : " <= " + value(headroom)) + ")");
            predict(rule, window, count + charge.cost());
        } else if (snapshot.isPresent() || strict) {
            conditions.add("attribute_not_exists(" + w + ")");
            predict(rule, window, charge.cost());
        } else {
            // Unknown item: count into the current window whether or not the item exists yet.
            conditions.add("(attribute_not_exists(" + w + ") OR (" + w + " = " + idx + " AND " + c + " <= "
                    + value(headroom) + "))");
        }
    }

    private void rolling(LimitCharge charge, Optional<Map<String, AttributeValue>> snapshot, Instant now,
            boolean exact, RandomGenerator random) {
        RateLimitRule rule = charge.rule();
        String t = name(CounterItem.ringAttribute(rule));
        long nowMillis = now.toEpochMilli();
        Optional<List<Long>> ring = snapshot.flatMap(item -> CounterItem.ring(rule, item));
        if (ring.isEmpty() || ring.get().size() < rule.limit() || exact) {
            // A new ring (or one made for a smaller limit): written whole, over exactly what was there.
            List<Long> slots = new ArrayList<>(ring.orElse(List.of()));
            long cutoff = CounterItem.cutoff(rule, now);
            slots.removeIf(s -> s <= cutoff);
            for (long i = 0; i < charge.cost(); i++) {
                slots.add(nowMillis);
            }
            while (slots.size() < rule.limit()) {
                slots.add(0L);
            }
            AttributeValue list = list(slots);
            sets.add(t + " = " + value(list));
            conditions.add(ring.isEmpty() ? "attribute_not_exists(" + t + ")"
                    : t + " = " + value(snapshot.get().get(CounterItem.ringAttribute(rule))));
            predicted.put(CounterItem.ringAttribute(rule), list);
            return;
        }
        List<Long> slots = new ArrayList<>(ring.get());
        long cutoff = CounterItem.cutoff(rule, now);
        List<Integer> free = new ArrayList<>();
        for (int i = 0; i < slots.size(); i++) {
            if (slots.get(i) <= cutoff) {
                free.add(i);
            }
        }
        // Racing instances holding the same snapshot pick different free slots, so most of them succeed.
        for (long n = 0; n < charge.cost(); n++) {
            int slot = free.remove(random.nextInt(free.size()));
            String path = t + "[" + slot + "]";
            sets.add(path + " = " + value(number(nowMillis)));
            conditions.add(path + " = " + value(number(slots.get(slot))));
            slots.set(slot, nowMillis);
        }
        predicted.put(CounterItem.ringAttribute(rule), list(slots));
    }

    private void predict(RateLimitRule rule, long window, long count) {
        predicted.put(CounterItem.windowAttribute(rule), number(window));
        predicted.put(CounterItem.countAttribute(rule), number(count));
    }

    private String name(String attribute) {
        String placeholder = "#n" + placeholders++;
        names.put(placeholder, attribute);
        return placeholder;
    }

    private String value(AttributeValue value) {
        String placeholder = ":v" + placeholders++;
        values.put(placeholder, value);
        return placeholder;
    }

    String updateExpression() {
        StringBuilder expression = new StringBuilder("SET ").append(String.join(", ", sets));
        if (!adds.isEmpty()) {
            expression.append(" ADD ").append(String.join(", ", adds));
        }
        return expression.toString();
    }

    String conditionExpression() {
        return String.join(" AND ", conditions);
    }

    Map<String, String> names() {
        return names;
    }

    Map<String, AttributeValue> values() {
        return values;
    }

    /** The item as this write leaves it, where the write pins it down (always in strict mode). */
    Map<String, AttributeValue> predicted() {
        return predicted;
    }

    static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static AttributeValue list(List<Long> slots) {
        List<AttributeValue> values = new ArrayList<>(slots.size());
        slots.forEach(s -> values.add(number(s)));
        return AttributeValue.fromL(values);
    }
}
