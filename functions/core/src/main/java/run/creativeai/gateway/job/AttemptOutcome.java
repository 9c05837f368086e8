package run.creativeai.gateway.job;

import java.util.Locale;

/** How one provider attempt ended, or that it has not yet. */
public enum AttemptOutcome {
    /** Submitted or being submitted; the provider is working on it. */
    RUNNING,
    SUCCEEDED,
    /** The provider could not serve it (capacity, 5xx, timeout, garbage, open circuit): next link. */
    UNAVAILABLE,
    /** The provider refused the customer's own input: no failover, the job fails. */
    REJECTED,
    CANCELED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AttemptOutcome fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
