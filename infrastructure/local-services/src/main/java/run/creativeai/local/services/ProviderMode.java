package run.creativeai.local.services;

import java.util.Locale;

/** How a simulated provider behaves; set at run time through {@code POST /_local/providers/{name}}. */
public enum ProviderMode {
    /** Accepts work up to its capacity (429 beyond) and finishes each job after its latency. */
    UP,
    /** Every call answers 503. */
    DOWN,
    /** Every call hangs for {@code latency_ms} before it answers, as an overloaded upstream does. */
    SLOW,
    /**
     * Each submission fails with a 500, and each job that finishes while the provider is flaky fails at
     * the provider, with probability {@code failure_rate}.
     */
    FLAKY,
    /** Every call answers 200 with a body that is not JSON. */
    GARBAGE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ProviderMode fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
