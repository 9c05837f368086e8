package run.creativeai.gateway.job;

import java.util.Locale;

/** How one provider attempt ended, or that it has not yet. */
public enum AttemptOutcome {
    /** Submitted or being submitted; the provider is working on it. */
    RUNNING,
    SUCCEEDED,
    /** The provider could not serve it (capacity, 5xx, garbage, unreachable, an outage mid-job): next link. */
    UNAVAILABLE,
    /**
     * The provider did not answer in time: no answer to the submission within the adapter's deadline,
     * or no result within the attempt timeout. Next link; a round of the chain in which every link
     * that was called timed out is retried once, then fails with a 504-class error.
     */
    TIMED_OUT,
    /**
     * Never sent: the provider's circuit was open, or it had no free slot for the job's tier. Next
     * link, and the provider was not called.
     */
    SKIPPED,
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
