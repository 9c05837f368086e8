package run.creativeai.gateway.provider;

import java.time.Duration;

/**
 * When a provider's circuit opens and how it recovers: after {@code failureThreshold} failures in a
 * row it opens, calls skip the provider for {@code coolDown}, then one call at a time probes it
 * (a probe that has not reported within {@code probeTimeout} is presumed lost and another may
 * probe); a successful probe closes the circuit, a failed one opens it again.
 */
public record CircuitPolicy(int failureThreshold, Duration coolDown, Duration probeTimeout) {
    public CircuitPolicy {
        if (failureThreshold < 1 || coolDown.isNegative() || probeTimeout.isNegative() || probeTimeout.isZero()) {
            throw new IllegalArgumentException("invalid circuit policy");
        }
    }

    public static CircuitPolicy standard() {
        return new CircuitPolicy(5, Duration.ofSeconds(30), Duration.ofSeconds(10));
    }
}
