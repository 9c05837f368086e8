package run.creativeai.gateway.plan;

/**
 * The numbers a plan grants.
 *
 * @param requestsPerMinute generation requests per minute per API key (seed 000: free 10, pro 100, enterprise 1000)
 */
public record PlanLimits(int requestsPerMinute) {
    public PlanLimits {
        if (requestsPerMinute < 1) {
            throw new IllegalArgumentException("requests_per_minute must be at least 1");
        }
    }
}
