package run.creativeai.gateway.status;

import java.util.Locale;
import java.util.Optional;

/**
 * How a component of the service is doing, in the words of the status API, from best to worst. A
 * component in {@link #MAINTENANCE} is down by plan: it counts neither for nor against uptime.
 */
public enum ComponentStatus {
    OPERATIONAL,
    MAINTENANCE,
    DEGRADED,
    PARTIAL_OUTAGE,
    MAJOR_OUTAGE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ComponentStatus> fromWire(String name) {
        for (ComponentStatus status : values()) {
            if (status.wireName().equals(name)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }

    /** A minute in this status counts against uptime: the component could not do its work. */
    public boolean isDown() {
        return this == PARTIAL_OUTAGE || this == MAJOR_OUTAGE;
    }

    /** Worse than operational (maintenance is planned, not a fault). */
    public boolean isImpaired() {
        return this == DEGRADED || isDown();
    }

    public ComponentStatus worse(ComponentStatus other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
