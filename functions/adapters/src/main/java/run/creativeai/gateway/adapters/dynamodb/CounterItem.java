package run.creativeai.gateway.adapters.dynamodb;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.limits.LimitCharge;
import run.creativeai.gateway.limits.LimitState;
import run.creativeai.gateway.limits.RateLimitRule;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How one rule's counter is laid out inside the item of its owner ({@code key#...} or
 * {@code tenant#...}), and what a snapshot of that item says about the rule. A fixed window is two
 * numbers, {@code <rule>#w} (the window index) and {@code <rule>#c} (units counted in it), so a new
 * window starts by overwriting them and no item per window is needed. A rolling window is a ring,
 * {@code <rule>#t}: one slot per unit of the limit, each holding the epoch millisecond its unit was
 * counted (0 when never used); a slot whose time is a full window old is free again, which makes the
 * window exact to the millisecond.
 */
final class CounterItem {
    private CounterItem() {
    }

    static String windowAttribute(RateLimitRule rule) {
        return rule.id() + "#w";
    }

    static String countAttribute(RateLimitRule rule) {
        return rule.id() + "#c";
    }

    static String ringAttribute(RateLimitRule rule) {
        return rule.id() + "#t";
    }

    /** The fixed window the snapshot counts in at {@code now}: the stored one if it is not older. */
    static long effectiveWindow(RateLimitRule rule, Map<String, AttributeValue> item, Instant now) {
        long current = rule.windowIndex(now);
        return storedWindow(rule, item).filter(w -> w > current).orElse(current);
    }

    static Optional<Long> storedWindow(RateLimitRule rule, Map<String, AttributeValue> item) {
        return number(item, windowAttribute(rule));
    }

    /** Units counted in the window that applies at {@code now}. */
    static long used(RateLimitRule rule, Map<String, AttributeValue> item, Instant now) {
        if (rule.kind() == RateLimitRule.Kind.FIXED) {
            long window = effectiveWindow(rule, item, now);
            return storedWindow(rule, item).filter(w -> w == window)
                    .flatMap(w -> number(item, countAttribute(rule))).orElse(0L);
        }
        return live(rule, item, now).size();
    }

    /** The ring's slots, oldest first by position, or empty when the rule has never counted here. */
    static Optional<List<Long>> ring(RateLimitRule rule, Map<String, AttributeValue> item) {
        AttributeValue value = item.get(ringAttribute(rule));
        if (value == null || !value.hasL()) {
            return Optional.empty();
        }
        List<Long> slots = new ArrayList<>(value.l().size());
        value.l().forEach(v -> slots.add(Long.parseLong(v.n())));
        return Optional.of(slots);
    }

    /** Times of the units still inside the rolling window at {@code now}, oldest first. */
    static List<Long> live(RateLimitRule rule, Map<String, AttributeValue> item, Instant now) {
        long cutoff = cutoff(rule, now);
        List<Long> live = new ArrayList<>();
        ring(rule, item).ifPresent(slots -> slots.stream().filter(t -> t > cutoff).forEach(live::add));
        Collections.sort(live);
        return live;
    }

    /** A slot counted at or before this millisecond has left the window. */
    static long cutoff(RateLimitRule rule, Instant now) {
        return now.toEpochMilli() - rule.window().toMillis();
    }

    static boolean fits(LimitCharge charge, Map<String, AttributeValue> item, Instant now) {
        return used(charge.rule(), item, now) + charge.cost() <= charge.rule().limit();
    }

    /** The rule's state as the headers report it. */
    static LimitState state(LimitCharge charge, Map<String, AttributeValue> item, Instant now) {
        RateLimitRule rule = charge.rule();
        if (rule.kind() == RateLimitRule.Kind.FIXED) {
            return new LimitState(rule, used(rule, item, now), rule.windowEnd(effectiveWindow(rule, item, now)));
        }
        List<Long> live = live(rule, item, now);
        Instant reset = live.isEmpty() ? now.plus(rule.window())
                : Instant.ofEpochMilli(live.get(0)).plus(rule.window());
        return new LimitState(rule, live.size(), reset);
    }

    /** The state of a rule that refuses this charge: its reset is the moment the charge would fit. */
    static LimitState refusedState(LimitCharge charge, Map<String, AttributeValue> item, Instant now) {
        RateLimitRule rule = charge.rule();
        if (rule.kind() == RateLimitRule.Kind.FIXED) {
            return state(charge, item, now);
        }
        List<Long> live = live(rule, item, now);
        int mustLeave = (int) (live.size() + charge.cost() - rule.limit());
        Instant retry = Instant.ofEpochMilli(live.get(mustLeave - 1)).plus(rule.window());
        return new LimitState(rule, live.size(), retry);
    }

    static Optional<Long> number(Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item.get(attribute);
        return value == null || value.n() == null ? Optional.empty() : Optional.of(Long.parseLong(value.n()));
    }

    static Duration window(LimitCharge charge) {
        return charge.rule().window();
    }
}
