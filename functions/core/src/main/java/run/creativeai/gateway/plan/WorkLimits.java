package run.creativeai.gateway.plan;

import java.util.Objects;

/**
 * What a plan allows of one {@link WorkKind}: creates per the kind's window (unlimited for generation,
 * whose creation rules are the plan's others) and how many run at once per tenant, the rest waiting
 * queued rather than refused.
 */
public record WorkLimits(Limit creates, Limit concurrent) {
    private static final WorkLimits UNLIMITED = new WorkLimits(Limit.unlimited(), Limit.unlimited());

    public WorkLimits {
        Objects.requireNonNull(creates, "creates");
        Objects.requireNonNull(concurrent, "concurrent");
    }

    public static WorkLimits unlimited() {
        return UNLIMITED;
    }
}
