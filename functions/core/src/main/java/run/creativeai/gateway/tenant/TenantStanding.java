package run.creativeai.gateway.tenant;

import java.util.Locale;

/** Whether a tenant may start new work: out of credits or with an expired subscription it may only read. */
public enum TenantStanding {
    ACTIVE,
    PAYMENT_REQUIRED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TenantStanding fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
