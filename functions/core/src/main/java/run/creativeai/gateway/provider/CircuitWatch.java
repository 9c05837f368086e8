package run.creativeai.gateway.provider;

import java.time.Instant;

/**
 * Told of each transition of a provider's circuit by the one caller that made it. It must not
 * throw into the call that reported the outcome: a job's step never fails because of what watches
 * the circuits.
 */
@FunctionalInterface
public interface CircuitWatch {
    void changed(String provider, CircuitTransition transition, Instant at);

    static CircuitWatch none() {
        return (provider, transition, at) -> { };
    }
}
