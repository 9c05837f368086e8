package run.creativeai.gateway.provider;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A provider's circuit as the status page shows it.
 *
 * @param trippedAt      when the current outage began (the closed circuit tripped); empty while closed
 * @param openedAt       when the circuit last opened (a failed probe opens it again); empty while closed
 * @param failures       failures counted in a row
 * @param kinds          the kinds of those failures
 * @param probeAllowedAt when the next call may probe the provider: the end of the cool-down while open,
 *                       the end of the running probe's allowance while half-open; empty while closed
 */
public record CircuitState(CircuitBreaker.CircuitStatus status, Optional<Instant> trippedAt, Optional<Instant> openedAt,
        long failures, Set<Unavailability> kinds, Optional<Instant> probeAllowedAt) {
    public CircuitState {
        kinds = Set.copyOf(kinds);
    }

    public static CircuitState closed() {
        return new CircuitState(CircuitBreaker.CircuitStatus.CLOSED, Optional.empty(), Optional.empty(), 0, Set.of(),
                Optional.empty());
    }

    public boolean isClosed() {
        return status == CircuitBreaker.CircuitStatus.CLOSED;
    }
}
