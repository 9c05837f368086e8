package run.creativeai.local;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Waits on a condition that something else in the local cloud makes true, looking ten times a second. */
final class Conditions {
    private static final Duration LOOK_EVERY = Duration.ofMillis(100);

    private Conditions() {
    }

    /** True once {@code condition} holds; false if it still does not when {@code timeout} has passed. */
    static boolean await(BooleanSupplier condition, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (!Instant.now().isBefore(deadline)) {
                return false;
            }
            try {
                Thread.sleep(LOOK_EVERY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
