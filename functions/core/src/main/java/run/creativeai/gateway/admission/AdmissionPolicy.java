package run.creativeai.gateway.admission;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.limits.KeyBudget;
import run.creativeai.gateway.limits.LimitCharge;
import run.creativeai.gateway.limits.RateLimitRule.CountedPer;
import run.creativeai.gateway.limits.RateLimitRule.Unit;
import run.creativeai.gateway.limits.RateLimitRule;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.model.Model;
import run.creativeai.gateway.model.Operation;
import run.creativeai.gateway.plan.Limit;
import run.creativeai.gateway.plan.PlanLimits;
import run.creativeai.gateway.plan.WorkKind;

/**
 * Which rules a request is charged against, and how much it costs on each: the one place that turns
 * a plan's numbers into rules. Unlimited numbers produce no rule, so they cost nothing to check.
 */
public final class AdmissionPolicy {
    public static final String PLAN_REQUESTS_PER_MINUTE = "plan_requests_per_minute";
    public static final String CREATE_REQUESTS_PER_MINUTE = "create_requests_per_minute";
    public static final String READS_PER_MINUTE = "reads_per_minute";
    public static final String DAILY_TASKS = "daily_tasks";
    public static final String VIDEO_REQUESTS_PER_MINUTE = "video_requests_per_minute";
    public static final String VIDEOS_PER_30_MINUTES = "videos_per_30_minutes";
    public static final String VIDEOS_PER_24_HOURS = "videos_per_24_hours";
    /** A key's own budget of credits per UTC day (its {@code max_credits_per_day}); refused with a 402. */
    public static final String MAX_CREDITS_PER_DAY = KeyBudget.RULE;

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration DAY = Duration.ofDays(1);

    /** Every rule a generation request of this kind on this model is charged against, when it costs nothing. */
    public List<LimitCharge> chargesForGeneration(Principal principal, GenerationRequest request, Model model) {
        return chargesForGeneration(principal, request, model, 0);
    }

    /**
     * Every rule a generation request is charged against, its key's daily budget of credits included
     * when the key has one and the request reserves {@code credits}. A request that reserves more
     * than the whole budget is refused before it gets here ({@link #keyBudget}).
     */
    public List<LimitCharge> chargesForGeneration(Principal principal, GenerationRequest request, Model model,
            long credits) {
        List<LimitCharge> charges = new ArrayList<>();
        for (RateLimitRule rule : generationRules(principal, model, request.operation())) {
            charges.add(new LimitCharge(rule, owner(principal, rule), rule.unit().costOf(request.n())));
        }
        if (credits > 0) {
            keyBudget(principal).ifPresent(budget -> charges.add(new LimitCharge(budget, owner(principal, budget), credits)));
        }
        return charges;
    }

    /**
     * Every rule a request that creates a workflow or a training is charged against: the plan's requests
     * per minute (seed 002's tier limit counts every request, its endpoint limits come on top) and the
     * kind's own creates per window ({@link WorkKind#createsRule}, per tenant), its key's daily budget
     * included when it has one and the request reserves {@code credits}. A generation request's rules
     * depend on its model and operation: {@link #chargesForGeneration}.
     *
     * @throws IllegalArgumentException for {@link WorkKind#GENERATION}
     */
    public List<LimitCharge> chargesForCreation(Principal principal, WorkKind kind, long credits) {
        List<LimitCharge> charges = new ArrayList<>();
        for (RateLimitRule rule : creationRules(principal, kind)) {
            charges.add(new LimitCharge(rule, owner(principal, rule), rule.unit().costOf(1)));
        }
        if (credits > 0) {
            keyBudget(principal).ifPresent(budget -> charges.add(new LimitCharge(budget, owner(principal, budget), credits)));
        }
        return charges;
    }

    /** The key's daily budget of credits as a rule counted on the key, like its other per-key windows. */
    public java.util.Optional<RateLimitRule> keyBudget(Principal principal) {
        return principal.maxCreditsPerDay().map(KeyBudget::rule);
    }

    /** Status and quota reads: seed 002's 120 a minute per user, and nothing the creation windows count. */
    public List<LimitCharge> chargesForRead(Principal principal) {
        Limit reads = principal.plan().limits().readsPerMinute();
        if (!reads.isLimited()) {
            return List.of();
        }
        RateLimitRule rule = RateLimitRule.fixed(READS_PER_MINUTE, Unit.READS, reads.max(), MINUTE, CountedPer.KEY);
        return List.of(new LimitCharge(rule, owner(principal, rule), 1));
    }

    /**
     * Every creation rule that applies to a key, for every model it may ask for and every operation
     * that model can do: what the quota endpoint reports. Each appears once, in a stable order.
     */
    public List<LimitCharge> creationRules(Principal principal, Collection<Model> models) {
        List<LimitCharge> charges = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (Model model : models) {
            for (Operation operation : model.supportedOperations()) {
                for (RateLimitRule rule : generationRules(principal, model, operation)) {
                    if (!seen.contains(rule.id())) {
                        seen.add(rule.id());
                        charges.add(new LimitCharge(rule, owner(principal, rule), 1));
                    }
                }
            }
        }
        for (WorkKind kind : WorkKind.values()) {
            if (kind != WorkKind.GENERATION) {
                for (RateLimitRule rule : creationRules(principal, kind)) {
                    if (!seen.contains(rule.id())) {
                        seen.add(rule.id());
                        charges.add(new LimitCharge(rule, owner(principal, rule), 1));
                    }
                }
            }
        }
        keyBudget(principal).ifPresent(budget -> charges.add(new LimitCharge(budget, owner(principal, budget), 1)));
        return charges;
    }

    /**
     * The id of an operation's own rule (seed 001's per-operation defaults), in the unit the seed
     * counts it in: {@code operation.upscale.images_per_minute}, {@code operation.image-to-video.requests_per_minute}.
     */
    public static String operationRule(Operation operation) {
        return "operation." + operation.wireName()
                + (operation.kind() == JobKind.IMAGE ? ".images_per_minute" : ".requests_per_minute");
    }

    private List<RateLimitRule> generationRules(Principal principal, Model model, Operation operation) {
        PlanLimits limits = principal.plan().limits();
        List<RateLimitRule> rules = new ArrayList<>();
        fixed(rules, PLAN_REQUESTS_PER_MINUTE, Unit.REQUESTS, limits.requestsPerMinute(), MINUTE,
                limits.requestsPerMinutePer());
        fixed(rules, CREATE_REQUESTS_PER_MINUTE, Unit.REQUESTS, limits.createRequestsPerMinute(), MINUTE,
                CountedPer.TENANT);
        Limit modelUnits = limits.modelUnitsPerMinute(model.id());
        Limit operationUnits = limits.operationUnitsPerMinute(operation);
        if (model.kind() == JobKind.IMAGE) {
            fixed(rules, "model." + model.id() + ".images_per_minute", Unit.IMAGES, modelUnits, MINUTE, CountedPer.KEY);
            fixed(rules, operationRule(operation), Unit.IMAGES, operationUnits, MINUTE, CountedPer.KEY);
        } else if (model.kind() == JobKind.TRAINING) {
            // A LoRA training is seed 002's training work: its trainer's and operation's rates, and 5 an hour.
            fixed(rules, "model." + model.id() + ".requests_per_minute", Unit.REQUESTS, modelUnits, MINUTE,
                    CountedPer.KEY);
            fixed(rules, operationRule(operation), Unit.REQUESTS, operationUnits, MINUTE, CountedPer.KEY);
            createsRule(limits, WorkKind.TRAINING).ifPresent(rules::add);
        } else {
            fixed(rules, "model." + model.id() + ".requests_per_minute", Unit.REQUESTS, modelUnits, MINUTE,
                    CountedPer.KEY);
            fixed(rules, operationRule(operation), Unit.REQUESTS, operationUnits, MINUTE, CountedPer.KEY);
            fixed(rules, VIDEO_REQUESTS_PER_MINUTE, Unit.REQUESTS, limits.video().requestsPerMinute(), MINUTE,
                    CountedPer.TENANT);
            rolling(rules, VIDEOS_PER_30_MINUTES, limits.video().per30Minutes(), Duration.ofMinutes(30),
                    CountedPer.KEY);
            rolling(rules, VIDEOS_PER_24_HOURS, limits.video().per24Hours(), Duration.ofHours(24), CountedPer.TENANT);
        }
        if (limits.dailyTasks().isLimited()) {
            rules.add(RateLimitRule.fixed(DAILY_TASKS, Unit.TASKS, limits.dailyTasks().max(), DAY, CountedPer.TENANT)
                    .asQuota());
        }
        return rules;
    }

    private List<RateLimitRule> creationRules(Principal principal, WorkKind kind) {
        if (kind == WorkKind.GENERATION) {
            throw new IllegalArgumentException("a generation request's rules come from its model and operation");
        }
        PlanLimits limits = principal.plan().limits();
        List<RateLimitRule> rules = new ArrayList<>();
        fixed(rules, PLAN_REQUESTS_PER_MINUTE, Unit.REQUESTS, limits.requestsPerMinute(), MINUTE,
                limits.requestsPerMinutePer());
        createsRule(limits, kind).ifPresent(rules::add);
        return rules;
    }

    /** The kind's own creates per window ({@link WorkKind#createsRule}), per tenant, when its plan limits them. */
    private static java.util.Optional<RateLimitRule> createsRule(PlanLimits limits, WorkKind kind) {
        Limit creates = limits.work(kind).creates();
        return creates.isLimited()
                ? java.util.Optional.of(new RateLimitRule(kind.createsRule().orElseThrow(), Unit.REQUESTS, creates.max(),
                        kind.createsWindow(), kind.createsWindowKind(), CountedPer.TENANT,
                        RateLimitRule.Enforcement.RATE_LIMIT))
                : java.util.Optional.empty();
    }

    private static void fixed(List<RateLimitRule> rules, String id, Unit unit, Limit limit, Duration window,
            CountedPer per) {
        if (limit.isLimited()) {
            rules.add(RateLimitRule.fixed(id, unit, limit.max(), window, per));
        }
    }

    private static void rolling(List<RateLimitRule> rules, String id, Limit limit, Duration window, CountedPer per) {
        if (limit.isLimited()) {
            rules.add(RateLimitRule.rolling(id, Unit.VIDEOS, limit.max(), window, per));
        }
    }

    private static String owner(Principal principal, RateLimitRule rule) {
        return rule.per() == CountedPer.KEY ? principal.keyId().value() : principal.tenantId().value();
    }
}
