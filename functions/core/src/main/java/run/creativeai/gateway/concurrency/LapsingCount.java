package run.creativeai.gateway.concurrency;

import java.time.Instant;
import java.util.Objects;

/**
 * A change of one bucket of a counted pool ({@link CountedPools}): {@code delta} holders of
 * {@code holderClass}, counted until {@code until}.
 */
public record LapsingCount(String holderClass, Instant until, long delta) {
    public LapsingCount {
        Objects.requireNonNull(holderClass, "holderClass");
        Objects.requireNonNull(until, "until");
    }

    /** The change that takes this one back. */
    public LapsingCount undone() {
        return new LapsingCount(holderClass, until, -delta);
    }
}
