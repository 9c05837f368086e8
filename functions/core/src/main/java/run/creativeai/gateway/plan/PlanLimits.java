package run.creativeai.gateway.plan;

import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.limits.RateLimitRule.CountedPer;
import run.creativeai.gateway.model.Operation;

/**
 * The numbers a plan grants. {@link AdmissionPolicy} turns them into rules.
 *
 * @param requestsPerMinute       generation requests per minute (seed 000: free 10, pro 100, enterprise
 *                                1000; seed 002: starter 60, professional 300)
 * @param requestsPerMinutePer    whether that count is per API key (seed 000) or per organisation (seed 002)
 * @param createRequestsPerMinute generation requests per minute per organisation, seed 002's endpoint limit (30)
 * @param readsPerMinute          status and quota reads per minute per API key (seed 002: 120 per user)
 * @param concurrentTasks         jobs running at once per organisation; more are queued, never refused
 * @param dailyTasks              generation tasks per UTC day per organisation; past it, 403 with the quota body
 * @param modelUnitsPerMinute     per model id: images per minute for image models, requests per minute
 *                                for video models (seed 001), per API key
 * @param operationUnitsPerMinute per operation: images per minute for image operations, requests per
 *                                minute for video ones (seed 001's per-operation defaults), per API key
 * @see run.creativeai.gateway.admission.AdmissionPolicy
 */
public record PlanLimits(
        Limit requestsPerMinute,
        CountedPer requestsPerMinutePer,
        Limit createRequestsPerMinute,
        Limit readsPerMinute,
        Limit concurrentTasks,
        Limit dailyTasks,
        VideoLimits video,
        Map<String, Limit> modelUnitsPerMinute,
        Map<Operation, Limit> operationUnitsPerMinute) {

    public PlanLimits {
        modelUnitsPerMinute = Map.copyOf(modelUnitsPerMinute);
        operationUnitsPerMinute = Map.copyOf(operationUnitsPerMinute);
    }

    /** The per-minute units of one operation; an operation the plan does not name is not limited per operation. */
    public Limit operationUnitsPerMinute(Operation operation) {
        return Optional.ofNullable(operationUnitsPerMinute.get(operation)).orElse(Limit.unlimited());
    }

    /** The per-minute units of one model; a model the plan does not name is not limited per model. */
    public Limit modelUnitsPerMinute(String modelId) {
        return Optional.ofNullable(modelUnitsPerMinute.get(modelId)).orElse(Limit.unlimited());
    }
}
