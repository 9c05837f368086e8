package run.creativeai.gateway.job;

import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The one retry loop over a record written only if still at the version it was read (a job, a
 * workflow): write a change of it, and each time another writer got there first, read it again and
 * write the change of that, while the change still applies.
 */
public final class VersionedWrites {
    /** Writes tried: bookkeeping records are few per record, so a handful always gets through. */
    public static final int WRITES = 5;

    private VersionedWrites() {
    }

    /**
     * @param update  the conditional write; false when the stored record moved on
     * @param reread  the record as stored now; empty if it is gone
     * @return what was written; empty when the change stopped applying, the record is gone, or the
     *         writes ran out
     */
    public static <T> Optional<T> change(T read, UnaryOperator<T> change, Predicate<T> stillApplies,
            Predicate<T> update, Supplier<Optional<T>> reread) {
        T current = read;
        for (int write = 0; write < WRITES && stillApplies.test(current); write++) {
            T next = change.apply(current);
            if (update.test(next)) {
                return Optional.of(next);
            }
            Optional<T> now = reread.get();
            if (now.isEmpty()) {
                return Optional.empty();
            }
            current = now.get();
        }
        return Optional.empty();
    }
}
