package run.creativeai.gateway.limits;

import java.time.Duration;
import java.util.List;
import run.creativeai.gateway.plan.Plan;
import run.creativeai.gateway.tenant.KeyId;

/** Which rules a generation request is charged against, and how much it costs on each. */
public final class AdmissionPolicy {
    public static final String PLAN_REQUESTS_PER_MINUTE = "plan_requests_per_minute";

    public List<LimitCharge> chargesForGeneration(KeyId key, Plan plan) {
        RateLimitRule perMinute = new RateLimitRule(PLAN_REQUESTS_PER_MINUTE, "requests",
                plan.limits().requestsPerMinute(), Duration.ofMinutes(1));
        return List.of(new LimitCharge(perMinute, key.value(), 1));
    }
}
