package run.creativeai.gateway.job;

/**
 * How an ended job's reservation is settled: {@code charged} credits are kept, the rest of what was
 * reserved goes back to the tenant's balance.
 */
public record Charge(long reserved, long charged) {
    public Charge {
        if (charged < 0 || charged > reserved) {
            throw new IllegalArgumentException("a job is charged from 0 to what it reserved (" + reserved + "), not "
                    + charged);
        }
    }

    public long refunded() {
        return reserved - charged;
    }
}
