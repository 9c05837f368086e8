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
 * @param work                    per kind of work, seed 002's endpoint limits and concurrency by kind
 *                                (generation 10, training 2, workflows 5 at once; training 5 an hour,
 *                                workflows 20 a minute); a kind the plan does not set is unlimited
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
        Map<Operation, Limit> operationUnitsPerMinute,
        Map<WorkKind, WorkLimits> work) {

    public PlanLimits {
        modelUnitsPerMinute = Map.copyOf(modelUnitsPerMinute);
        operationUnitsPerMinute = Map.copyOf(operationUnitsPerMinute);
        work = Map.copyOf(work);
    }

    /** What the plan allows of one kind of work; a kind it does not set is unlimited. */
    public WorkLimits work(WorkKind kind) {
        return work.getOrDefault(kind, WorkLimits.unlimited());
    }

    /**
     * Generation jobs a tenant runs at once: the tier table's concurrent tasks and seed 002's generation
     * concurrency, whichever is smaller.
     */
    public Limit concurrentGeneration() {
        Limit generation = work(WorkKind.GENERATION).concurrent();
        return generation.max() < concurrentTasks.max() ? generation : concurrentTasks;
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
