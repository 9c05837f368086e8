package run.creativeai.gateway.concurrency;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.plan.Limit;
import run.creativeai.gateway.plan.Plan;
import run.creativeai.gateway.plan.PlanCatalog;
import run.creativeai.gateway.plan.PlanLimits;
import run.creativeai.gateway.plan.WorkKind;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantTerms;

/**
 * A tenant's work running at once, by kind ({@link WorkKind}), as slots: generation jobs in one pool
 * per tenant, capped by its concurrent tasks and its generation concurrency (seed 002: the tier
 * table's 5/25/100 and generation 10) with a class cap for video (seed 000), plus the standard
 * tier's caps on all its tenants together ({@link TierCaps}); workflows and trainings in a second
 * pool per tenant, one class each with its own cap (seed 002: workflows 5, training 2). A workflow's
 * slot is the workflow's, not a generation task: its steps are jobs and take their own. Work takes its
 * slot when it starts and gives it back once when it ends; work that finds no slot waits queued
 * instead of being refused. Each slot is leased, so the slot of work whose worker died comes back by
 * itself: a job's for the longest it can legitimately run (every link of its longest chain timing
 * out, twice), a workflow's or a training's for {@link #lease(WorkKind)}, renewed each time its runner
 * takes it again. The limits are the tenant's plan with the custom limits the work was admitted under
 * ({@link Job#terms()}, {@link Work#terms()}).
 */
public final class TenantConcurrency {
    public static final String VIDEO = "video";
    private static final Logger LOG = LoggerFactory.getLogger(TenantConcurrency.class);
    private static final Duration LEASE_MARGIN = Duration.ofMinutes(5);

    private final SlotPool slots;
    private final PlanCatalog plans;
    private final Map<JobKind, Duration> leases;
    private final TierCaps tierCaps;

    public TenantConcurrency(SlotPool slots, PlanCatalog plans, Map<JobKind, Duration> leases, TierCaps tierCaps) {
        this.slots = slots;
        this.plans = plans;
        this.leases = Map.copyOf(leases);
        this.tierCaps = tierCaps;
    }

    /**
     * Leases from the longest failover chain of each kind and the schedule's attempt timeout; the
     * standard tier's caps ({@code tierCaps}: jobs of each kind at once) split over {@code capShards}.
     */
    public static TenantConcurrency standard(SlotPool slots, PlanCatalog plans, ModelCatalog models,
            AttemptTimeouts schedule, Map<JobKind, Long> tierCaps, int capShards) {
        Map<JobKind, Duration> leases = leases(models, schedule);
        return new TenantConcurrency(slots, plans, leases, new TierCaps(slots, tierCaps, capShards, leases));
    }

    /** The longest a job of each kind can run: every link of its longest chain timing out, twice, and a margin. */
    public static Map<JobKind, Duration> leases(ModelCatalog models, AttemptTimeouts schedule) {
        Map<JobKind, Duration> leases = new HashMap<>();
        for (JobKind kind : JobKind.values()) {
            int longest = models.all().stream().filter(m -> m.kind() == kind)
                    .mapToInt(m -> models.chainFor(m).links().size()).max().orElse(1);
            leases.put(kind, schedule.attemptTimeout(kind).multipliedBy(2L * longest).plus(LEASE_MARGIN));
        }
        return leases;
    }

    /** The pool a tenant's jobs take their slots from. */
    public static String pool(TenantId tenant) {
        return "tenant#" + tenant.value();
    }

    /** The pool a tenant's workflows and trainings take their slots from, one class per kind. */
    public static String workPool(TenantId tenant) {
        return "tenant-work#" + tenant.value();
    }

    /**
     * A workflow or a training that needs a slot of its kind while it runs.
     *
     * @param holder the workflow's or training's id: taking again for the same id never takes a second slot
     * @param plan   the plan it was admitted under; with {@code terms}, the tenant's custom limits then
     */
    public record Work(WorkKind kind, String holder, TenantId tenant, String plan, TenantTerms terms) {
        public Work {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(holder, "holder");
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(plan, "plan");
            Objects.requireNonNull(terms, "terms");
            if (kind == WorkKind.GENERATION) {
                throw new IllegalArgumentException("a generation job takes its slot as a job: tryStart(job, now)");
            }
        }
    }

    /**
     * Takes the slot of a workflow or a training, or says it must wait (a {@link SlotGrant.Full}: its
     * kind's class is full), holding none: the caller keeps it queued and asks again after
     * {@link #retryDelay(WorkKind)}, never refusing it. Taking again while holding it renews its lease,
     * so a runner that takes it at each step or poll keeps it for as long as the work runs.
     */
    public SlotGrant tryStart(Work work, Instant now) {
        return slots.acquire(claimFor(work, now), now);
    }

    /** Gives a workflow's or a training's slot back, however it ended; true only for the one call that freed it. */
    public boolean release(Work work) {
        return slots.release(workPool(work.tenant()), work.holder(), Optional.of(work.kind().wireName()));
    }

    /**
     * How long a workflow's or a training's slot stays taken without its runner taking it again: past
     * that, work whose runner died no longer holds its tenant's slot.
     */
    public static Duration lease(WorkKind kind) {
        return switch (kind) {
            case GENERATION -> throw new IllegalArgumentException("a job's lease comes from its failover chain");
            case WORKFLOW -> Duration.ofHours(1);
            case TRAINING -> Duration.ofHours(2);
        };
    }

    /** Always a claim, unlimited or not, so the quota counts every workflow and training that runs. */
    private SlotClaim claimFor(Work work, Instant now) {
        Limit concurrent = plans.planFor(work.plan(), work.tenant(), work.terms())
                .map(plan -> plan.limits().work(work.kind()).concurrent())
                .orElseGet(() -> {
                    LOG.warn("{} {} names plan {}, which is no longer configured; it runs without a concurrency limit",
                            work.kind().wireName(), work.holder(), work.plan());
                    return Limit.unlimited();
                });
        String holderClass = work.kind().wireName();
        return new SlotClaim(workPool(work.tenant()), work.holder(), Optional.of(holderClass), Long.MAX_VALUE,
                concurrent.isLimited() ? Map.of(holderClass, concurrent.max()) : Map.of(), now.plus(lease(work.kind())));
    }

    /**
     * Takes the job's slots (its tenant's, and the standard tier's of its kind), or says it must wait,
     * holding neither; a job whose plan has no concurrency limit needs no tenant slot.
     */
    public SlotGrant tryStart(Job job, Instant now) {
        Optional<SlotClaim> claim = claimFor(job, now);
        if (claim.isPresent()) {
            SlotGrant tenant = slots.acquire(claim.get(), now);
            if (tenant instanceof SlotGrant.Full) {
                return tenant;
            }
        }
        SlotGrant tier = tierCaps.take(job, now);
        if (tier instanceof SlotGrant.Full && claim.isPresent()) {
            // Not starting after all: the tenant's slot goes back for its other jobs.
            slots.release(claim.get().pool(), job.id().value(), claim.get().holderClass());
        }
        return tier;
    }

    /** Gives the job's slots back; safe to call on every path that ends a job, however often. */
    public void release(Job job) {
        if (tierCaps.release(job)) {
            LOG.debug("job {} gave its standard-tier slot back", job.id());
        }
        // A job whose plan has no concurrency limit never took a slot; one whose plan has gone might have.
        Optional<SlotClaim> claim = limits(job).flatMap(l -> claimFor(job, l, Instant.EPOCH));
        boolean mayHold = claim.isPresent() || limits(job).isEmpty();
        Optional<String> holderClass = claim.flatMap(SlotClaim::holderClass);
        if (mayHold && slots.release(poolOf(job), job.id().value(), holderClass)) {
            LOG.debug("job {} gave its slot back", job.id());
        }
    }

    /** How long a job that found no slot waits in its queue before it tries again. */
    public Duration retryDelay(JobKind kind) {
        return kind == JobKind.IMAGE ? Duration.ofSeconds(2) : Duration.ofSeconds(5);
    }

    /** How long a workflow or a training that found no slot waits before it asks again. */
    public Duration retryDelay(WorkKind kind) {
        return kind == WorkKind.TRAINING ? Duration.ofSeconds(30) : Duration.ofSeconds(5);
    }

    /** A tenant's job slots in use, for the quota endpoint. */
    public SlotUsage usage(TenantId tenant, Instant now) {
        return slots.usage(pool(tenant), now);
    }

    /** A tenant's work running now, for the quota endpoint. */
    public Running running(TenantId tenant, Instant now) {
        return new Running(usage(tenant, now), slots.usage(workPool(tenant), now));
    }

    /** A tenant's slots in use: its jobs' (all together, and video) and its workflows' and trainings'. */
    public record Running(SlotUsage jobs, SlotUsage work) {
        /** Work of a kind running now. */
        public long active(WorkKind kind) {
            return kind == WorkKind.GENERATION ? jobs.active() : work.active(kind.wireName());
        }
    }

    Optional<SlotClaim> claimFor(Job job, Instant now) {
        return limits(job).flatMap(limits -> claimFor(job, limits, now));
    }

    /** A training job runs as a training (seed 002's training 2): in its tenant's work pool, not as a generation task. */
    private static String poolOf(Job job) {
        return job.request().kind() == JobKind.TRAINING ? workPool(job.tenantId()) : pool(job.tenantId());
    }

    private Optional<SlotClaim> claimFor(Job job, PlanLimits limits, Instant now) {
        if (job.request().kind() == JobKind.TRAINING) {
            // Always a claim, as for any training, so the quota counts it; leased for its chain's longest run.
            Limit concurrent = limits.work(WorkKind.TRAINING).concurrent();
            String holderClass = WorkKind.TRAINING.wireName();
            return Optional.of(new SlotClaim(workPool(job.tenantId()), job.id().value(), Optional.of(holderClass),
                    Long.MAX_VALUE, concurrent.isLimited() ? Map.of(holderClass, concurrent.max()) : Map.of(),
                    now.plus(leases.get(JobKind.TRAINING))));
        }
        Limit total = limits.concurrentGeneration();
        Limit video = limits.video().concurrent();
        Optional<String> holderClass = job.request().kind() == JobKind.VIDEO && video.isLimited()
                ? Optional.of(VIDEO) : Optional.empty();
        if (!total.isLimited() && holderClass.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Long> classes = video.isLimited() ? Map.of(VIDEO, video.max()) : Map.of();
        return Optional.of(new SlotClaim(pool(job.tenantId()), job.id().value(), holderClass, total.max(), classes,
                now.plus(leases.get(job.request().kind()))));
    }

    /** Standard-tier jobs running now, by kind, against their caps. */
    public TierCaps tierCaps() {
        return tierCaps;
    }

    private Optional<PlanLimits> limits(Job job) {
        Optional<Plan> plan = plans.planFor(job.plan(), job.tenantId(), job.terms());
        if (plan.isEmpty()) {
            LOG.warn("job {} names plan {}, which is no longer configured; it runs without a concurrency limit",
                    job.id(), job.plan());
        }
        return plan.map(Plan::limits);
    }
}
