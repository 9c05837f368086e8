package run.creativeai.gateway.concurrency;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A request for one slot of a pool.
 *
 * @param pool            which pool, e.g. {@code tenant#acme}
 * @param holder          who holds the slot, e.g. a job id: claiming twice never takes two slots
 * @param holderClass     a class with its own cap inside the pool (e.g. {@code video}), if any
 * @param capacity        slots in the pool, all classes together ({@link Long#MAX_VALUE}: no cap)
 * @param classCapacities the cap of each class that has one
 * @param leaseUntil      when the slot returns to the pool if it was never released
 */
public record SlotClaim(String pool, String holder, Optional<String> holderClass, long capacity,
        Map<String, Long> classCapacities, Instant leaseUntil) {
    public SlotClaim {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(holderClass, "holderClass");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
        classCapacities = Map.copyOf(classCapacities);
        if (capacity < 1 || classCapacities.values().stream().anyMatch(c -> c < 1)) {
            throw new IllegalArgumentException("slot capacities must be positive");
        }
    }

    /** The cap that applies to this holder's class, if it has one. */
    public Optional<Long> classCapacity() {
        return holderClass.map(classCapacities::get);
    }
}
