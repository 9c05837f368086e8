package run.creativeai.gateway.job;

import java.util.Map;
import java.util.Objects;

/**
 * What a job may cost in credits, fixed when it is admitted: the price of this request on each link
 * of its failover chain (by model id), and whether the key's daily budget counted it. Admission
 * reserves the most any link would cost from the tenant's balance; the job is later charged the
 * price of the link that served it (never more than was reserved, since it is one of them) and the
 * rest is refunded ({@link Job#charge()}). Prices are taken at admission, so a price change never
 * changes what a job already admitted costs.
 *
 * @param prices      credits this request costs on each link, by model id
 * @param inKeyBudget whether the key's {@code max_credits_per_day} budget counted the reservation
 *                    (then settlement gives the refunded part back to that day's budget)
 */
public record JobCost(Map<String, Long> prices, boolean inKeyBudget) {
    private static final JobCost FREE = new JobCost(Map.of(), false);

    public JobCost {
        prices = Map.copyOf(prices);
        prices.forEach((model, price) -> {
            if (price < 0) {
                throw new IllegalArgumentException("the price on " + model + " is negative");
            }
        });
    }

    /** A job that costs nothing (and one admitted before jobs had a price). */
    public static JobCost free() {
        return FREE;
    }

    /** What admission took from the balance: the most any link of the chain would cost. */
    public long reserved() {
        return prices.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /** This request's price on the link of {@code model}; a model outside the chain is not charged. */
    public long priceOn(String model) {
        Objects.requireNonNull(model, "model");
        return prices.getOrDefault(model, 0L);
    }

    /** The same cost, now counted by the key's daily budget too. */
    public JobCost countedInKeyBudget() {
        return new JobCost(prices, true);
    }
}
