package run.creativeai.gateway.plan;

import java.time.Duration;
import java.util.Optional;
import run.creativeai.gateway.limits.RateLimitRule;

/**
 * What a request creates: a generation job, a workflow or a training. It chooses the creation rules
 * a request is counted by ({@code AdmissionPolicy}) and the concurrency class the work runs in
 * ({@code TenantConcurrency}), and names both as customers and operators see them: its wire name is
 * the plan field that sets its limits, e.g. {@code "workflows": {"requests_per_minute": 20, "concurrent": 5}}.
 */
public enum WorkKind {
    /** Image and video jobs; their creation rules depend on the model and operation, so only their concurrency is here. */
    GENERATION("generation", Optional.empty(), Optional.empty(), Duration.ZERO, RateLimitRule.Kind.FIXED,
            "concurrent_generation_tasks"),
    /** Seed 002's {@code POST /workflows/}: 20 a minute (a fixed minute, like every per-minute rule) and 5 at once. */
    WORKFLOW("workflows", Optional.of("requests_per_minute"), Optional.of("workflow_requests_per_minute"),
            Duration.ofMinutes(1), RateLimitRule.Kind.FIXED,
            "concurrent_workflows"),
    /**
     * Seed 002's {@code POST /training/}: 5 an hour and 2 at once. The hour rolls, so no two hours' worth
     * of trainings start either side of a clock hour.
     */
    TRAINING("training", Optional.of("requests_per_hour"), Optional.of("training_requests_per_hour"),
            Duration.ofHours(1), RateLimitRule.Kind.ROLLING,
            "concurrent_trainings");

    /** The field of a kind's object that sets how many run at once. */
    public static final String CONCURRENT = "concurrent";

    private final String wireName;
    private final Optional<String> createsField;
    private final Optional<String> createsRule;
    private final Duration createsWindow;
    private final RateLimitRule.Kind createsWindowKind;
    private final String concurrencyName;

    WorkKind(String wireName, Optional<String> createsField, Optional<String> createsRule, Duration createsWindow,
            RateLimitRule.Kind createsWindowKind, String concurrencyName) {
        this.wireName = wireName;
        this.createsField = createsField;
        this.createsRule = createsRule;
        this.createsWindow = createsWindow;
        this.createsWindowKind = createsWindowKind;
        this.concurrencyName = concurrencyName;
    }

    /** The plan field of this kind's limits, and the class its running work holds in its tenant's slots. */
    public String wireName() {
        return wireName;
    }

    /** The field of this kind's object that limits creates per window ({@code requests_per_minute}), if it has one. */
    public Optional<String> createsField() {
        return createsField;
    }

    /** The window of that limit. */
    public Duration createsWindow() {
        return createsWindow;
    }

    /** Whether that window is fixed or rolling (a rolling one allows at most {@link RateLimitRule#MAX_ROLLING_LIMIT}). */
    public RateLimitRule.Kind createsWindowKind() {
        return createsWindowKind;
    }

    /**
     * The id of the rule that limits creates, as 429 bodies, {@code RateLimit-Policy} and the quota name
     * it: {@code workflow_requests_per_minute}, {@code training_requests_per_hour}.
     */
    public Optional<String> createsRule() {
        return createsRule;
    }

    /** Its running work as the quota and the tenant administration name it: {@code concurrent_trainings}. */
    public String concurrencyName() {
        return concurrencyName;
    }

    public static Optional<WorkKind> fromWire(String value) {
        for (WorkKind kind : values()) {
            if (kind.wireName.equals(value)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
