package run.creativeai.gateway.provider;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The circuit of every provider, shared by all dispatcher instances, so that one instance's
 * failures spare the others from calling a provider that is down.
 */
public interface CircuitBreaker {

    /** Whether a call to {@code provider} may go ahead now; {@code PROBE} means this caller tests a tripped provider. */
    Permission acquire(String provider, Instant now);

    /** A call worked; {@link CircuitTransition.Closed} to the one caller whose success closed an open circuit. */
    CircuitTransition succeeded(String provider, Instant now);

    /** A call failed for {@code kind}; {@link CircuitTransition.Opened} to the one caller whose failure tripped it. */
    CircuitTransition failed(String provider, Unavailability kind, Instant now);

    CircuitStatus status(String provider, Instant now);

    /** The circuit with its outage, failures and next probe, as the status page shows it. */
    CircuitState describe(String provider, Instant now);

    /**
     * The circuits of several providers, each as {@link #describe} gives it, in the order given: a
     * store that can reads them in one request (the status page shows every provider's).
     */
    default Map<String, CircuitState> describeAll(Collection<String> providers, Instant now) {
        Map<String, CircuitState> states = new LinkedHashMap<>();
        providers.forEach(provider -> states.computeIfAbsent(provider, p -> describe(p, now)));
        return states;
    }

    enum Permission {
        ALLOWED,
        PROBE,
        DENIED
    }

    enum CircuitStatus {
        CLOSED,
        OPEN,
        HALF_OPEN;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
