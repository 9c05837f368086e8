package run.creativeai.gateway.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import run.creativeai.gateway.limits.AdmissionDecision;
import run.creativeai.gateway.limits.LimitCharge;
import run.creativeai.gateway.limits.LimitState;
import run.creativeai.gateway.limits.Limiter;
import run.creativeai.gateway.limits.RateLimitRule;

/**
 * The rules as plainly as they can be said, to check real limiters against: every admitted unit is
 * kept with its instant; a fixed window counts the units whose instant falls in the same window, a
 * rolling window those within the last window. No windows to roll, no rings, no concurrency.
 */
public final class ReferenceLimiter implements Limiter {
    private final Map<String, List<Instant>> counted = new HashMap<>();

    @Override
    public synchronized AdmissionDecision admit(List<LimitCharge> charges, Instant now) {
        List<LimitState> states = new ArrayList<>();
        LimitState refusedBy = null;
        for (LimitCharge charge : charges) {
            long used = used(charge, now);
            if (used + charge.cost() > charge.rule().limit()) {
                LimitState state = new LimitState(charge.rule(), used, whenItFits(charge, now));
                states.add(state);
                if (refusedBy == null || state.resetAt().isAfter(refusedBy.resetAt())) {
                    refusedBy = state;
                }
            } else {
                states.add(state(charge, now, used));
            }
        }
        if (refusedBy != null) {
            return new AdmissionDecision.Refused(refusedBy, states);
        }
        List<LimitState> after = new ArrayList<>();
        for (LimitCharge charge : charges) {
            List<Instant> units = counted.computeIfAbsent(key(charge), k -> new ArrayList<>());
            for (long i = 0; i < charge.cost(); i++) {
                units.add(now);
            }
        }
        for (LimitCharge charge : charges) {
            after.add(state(charge, now, used(charge, now)));
        }
        return new AdmissionDecision.Admitted(after);
    }

    @Override
    public synchronized List<LimitState> peek(List<LimitCharge> charges, Instant now) {
        List<LimitState> states = new ArrayList<>();
        charges.forEach(charge -> states.add(state(charge, now, used(charge, now))));
        return states;
    }

    private LimitState state(LimitCharge charge, Instant now, long used) {
        RateLimitRule rule = charge.rule();
        if (rule.kind() == RateLimitRule.Kind.FIXED) {
            return new LimitState(rule, used, rule.windowEnd(now));
        }
        List<Instant> inWindow = inWindow(charge, now);
        return new LimitState(rule, used,
                inWindow.isEmpty() ? now.plus(rule.window()) : inWindow.get(0).plus(rule.window()));
    }

    private Instant whenItFits(LimitCharge charge, Instant now) {
        RateLimitRule rule = charge.rule();
        if (rule.kind() == RateLimitRule.Kind.FIXED) {
            return rule.windowEnd(now);
        }
        List<Instant> inWindow = inWindow(charge, now);
        int mustLeave = (int) (inWindow.size() + charge.cost() - rule.limit());
        return inWindow.get(mustLeave - 1).plus(rule.window());
    }

    private long used(LimitCharge charge, Instant now) {
        RateLimitRule rule = charge.rule();
        if (rule.kind() == RateLimitRule.Kind.FIXED) {
            long window = rule.windowIndex(now);
            return counted.getOrDefault(key(charge), List.of()).stream().filter(t -> rule.windowIndex(t) == window)
                    .count();
        }
        return inWindow(charge, now).size();
    }

    private List<Instant> inWindow(LimitCharge charge, Instant now) {
        Instant start = now.minus(charge.rule().window());
        return counted.getOrDefault(key(charge), List.of()).stream().filter(t -> t.isAfter(start)).sorted().toList();
    }

    private static String key(LimitCharge charge) {
        return charge.rule().id() + "|" + charge.counterGroup();
    }
}
