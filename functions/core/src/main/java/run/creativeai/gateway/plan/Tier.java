package run.creativeai.gateway.plan;

import java.util.Locale;

/** A priority class: each has its own queue, and enterprise work is always served first. */
public enum Tier {
    ENTERPRISE,
    PRO,
    FREE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Tier fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
