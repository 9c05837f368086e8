package run.creativeai.gateway.plan;

/** A subscription plan: the priority class its jobs queue in and the limits it grants. */
public record Plan(String name, Tier tier, PlanLimits limits) {
}
