package run.creativeai.gateway.concurrency;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
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
import run.creativeai.gateway.tenant.TenantId;

/**
 * A tenant's concurrent tasks (seed 002) and concurrent video jobs (seed 000), as slots of one pool
 * per tenant with a class cap for video, and the standard tier's caps on all its tenants together
 * ({@link TierCaps}). A job takes its slots when the dispatcher starts it and gives them back once
 * when it ends; a job that finds no slot waits in its queue instead of being refused. Each slot is
 * leased for the longest a job can legitimately run (every link of its longest chain timing out,
 * twice), so the slot of a job whose worker died comes back by itself. The limits are the tenant's
 * plan with the custom limits the job was admitted under ({@link Job#terms()}).
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
            slots.release(pool(job.tenantId()), job.id().value(), claim.get().holderClass());
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
        if (mayHold && slots.release(pool(job.tenantId()), job.id().value(), holderClass)) {
            LOG.debug("job {} gave its slot back", job.id());
        }
    }

    /** How long a job that found no slot waits in its queue before it tries again. */
    public Duration retryDelay(JobKind kind) {
        return kind == JobKind.IMAGE ? Duration.ofSeconds(2) : Duration.ofSeconds(5);
    }

    /** A tenant's slots in use, for the quota endpoint. */
    public SlotUsage usage(TenantId tenant, Instant now) {
        return slots.usage(pool(tenant), now);
    }

    Optional<SlotClaim> claimFor(Job job, Instant now) {
        return limits(job).flatMap(limits -> claimFor(job, limits, now));
    }

    private Optional<SlotClaim> claimFor(Job job, PlanLimits limits, Instant now) {
        Limit total = limits.concurrentTasks();
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
