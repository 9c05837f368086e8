package run.creativeai.gateway.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.limits.AdmissionDecision;
import run.creativeai.gateway.limits.CreditReservation;
import run.creativeai.gateway.limits.LimitCharge;
import run.creativeai.gateway.limits.LimitState;
import run.creativeai.gateway.limits.Limiter;
import run.creativeai.gateway.limits.RateLimitRule;

/**
 * The rules as plainly as they can be said, to check real limiters against: every admitted unit is
 * kept with its instant; a fixed window counts the units whose instant falls in the same window, a
 * rolling window those within the last window. No windows to roll, no rings, no concurrency. A
 * tenant's credits are two numbers: what it may spend, and what admitted requests hold; a request
 * the spendable credits cannot cover is refused before any rule is looked at, and one a rule refuses
 * holds nothing.
 */
public final class ReferenceLimiter implements Limiter {
    private final Map<String, List<Instant>> counted = new HashMap<>();
    private final Map<String, Long> available = new HashMap<>();
    private final Map<String, Long> reserved = new HashMap<>();

    /** Adds spendable credits, as a top-up does. */
    public synchronized void fund(String tenant, long credits) {
        available.merge(tenant, credits, Long::sum);
    }

    /** Ends a reservation: {@code charged} of {@code held} is kept, the rest is spendable again. */
    public synchronized void settle(String tenant, long held, long charged) {
        reserved.merge(tenant, -held, Long::sum);
        available.merge(tenant, held - charged, Long::sum);
    }

    public synchronized long available(String tenant) {
        return available.getOrDefault(tenant, 0L);
    }

    public synchronized long reserved(String tenant) {
        return reserved.getOrDefault(tenant, 0L);
    }

    @Override
    public synchronized AdmissionDecision admit(List<LimitCharge> charges, Optional<CreditReservation> credits,
            Instant now) {
        if (credits.isPresent() && available(credits.get().tenant()) < credits.get().credits()) {
            return new AdmissionDecision.InsufficientCredits(available(credits.get().tenant()), credits.get().credits(),
                    peek(charges, now));
        }
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
        credits.ifPresent(c -> {
            available.merge(c.tenant(), -c.credits(), Long::sum);
            reserved.merge(c.tenant(), c.credits(), Long::sum);
        });
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
