package run.creativeai.gateway.concurrency;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Where one holder is counted in counted pools ({@link CountedPools}): for each pool, the end of the
 * bucket its count is in, all under one class.
 *
 * @param version 1 for a holder's first tally, one more for each that replaces it
 */
public record Tally(String holder, String holderClass, long version, Map<String, Instant> countedUntil) {
    public Tally {
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(holderClass, "holderClass");
        countedUntil = Map.copyOf(countedUntil);
        if (version < 1) {
            throw new IllegalArgumentException("a tally's version starts at 1, not " + version);
        }
    }
}
