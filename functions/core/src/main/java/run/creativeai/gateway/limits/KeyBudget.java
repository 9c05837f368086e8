package run.creativeai.gateway.limits;

import java.time.Duration;

/**
 * A key's own daily budget of credits ({@code max_credits_per_day}): a fixed window of one UTC day,
 * counted on the key's counter item like its other per-key rules, in the same write as the request's
 * limits and credits. A request counts what it reserves; settlement gives the refunded part back to
 * the day it was counted in, so the budget ends up counting what the key's jobs cost.
 */
public final class KeyBudget {
    public static final String RULE = "max_credits_per_day";
    public static final Duration WINDOW = Duration.ofDays(1);

    private KeyBudget() {
    }

    /** The budget of {@code max} credits a day as a rule: refused with a 402 that names it. */
    public static RateLimitRule rule(long max) {
        return RateLimitRule.fixed(RULE, RateLimitRule.Unit.CREDITS, max, WINDOW, RateLimitRule.CountedPer.KEY).asBudget();
    }
}
