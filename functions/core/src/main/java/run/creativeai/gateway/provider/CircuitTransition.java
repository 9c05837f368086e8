package run.creativeai.gateway.provider;

import java.time.Instant;
import java.util.Set;

/**
 * What one reported outcome did to a provider's circuit. Only the caller whose write moved the
 * circuit sees {@link Opened} or {@link Closed}, so whatever follows a transition (an incident opened
 * or resolved) happens once however many dispatchers report at the same moment.
 */
public sealed interface CircuitTransition permits CircuitTransition.Unchanged, CircuitTransition.Opened,
        CircuitTransition.Closed {

    CircuitTransition UNCHANGED = new Unchanged();

    /** Counted, or a probe that failed again: the circuit is as it was, as far as an outage goes. */
    record Unchanged() implements CircuitTransition {
    }

    /**
     * A closed circuit tripped: the provider's outage began at {@code trippedAt}.
     *
     * @param kinds the kinds of the failures in a row that tripped it
     */
    record Opened(Instant trippedAt, Set<Unavailability> kinds) implements CircuitTransition {
        public Opened {
            kinds = Set.copyOf(kinds);
        }
    }

    /** An open or half-open circuit closed: the outage that began at {@code trippedAt} is over. */
    record Closed(Instant trippedAt) implements CircuitTransition {
    }
}
