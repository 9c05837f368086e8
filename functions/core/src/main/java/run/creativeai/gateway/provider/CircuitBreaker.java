package run.creativeai.gateway.provider;

import java.time.Instant;

/**
 * The circuit of every provider, shared by all dispatcher instances, so that one instance's
 * failures spare the others from calling a provider that is down.
 */
public interface CircuitBreaker {

    /** Whether a call to {@code provider} may go ahead now; {@code PROBE} means this caller tests a tripped provider. */
    Permission acquire(String provider, Instant now);

    void succeeded(String provider, Instant now);

    void failed(String provider, Instant now);

    CircuitStatus status(String provider, Instant now);

    enum Permission {
        ALLOWED,
        PROBE,
        DENIED
    }

    enum CircuitStatus {
        CLOSED,
        OPEN,
        HALF_OPEN
    }
}
