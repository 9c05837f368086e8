package run.creativeai.gateway.admission;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.billing.Settlements;
import run.creativeai.gateway.config.IdSource;
import run.creativeai.gateway.dispatch.DeadlineTimer;
import run.creativeai.gateway.dispatch.JobQueue;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobCost;
import run.creativeai.gateway.job.JobError;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.JobStore;
import run.creativeai.gateway.job.StepOf;
import run.creativeai.gateway.limits.AdmissionDecision;
import run.creativeai.gateway.limits.CreditReservation;
import run.creativeai.gateway.limits.LimitCharge;
import run.creativeai.gateway.limits.LimitState;
import run.creativeai.gateway.limits.Limiter;
import run.creativeai.gateway.limits.RateLimitRule;
import run.creativeai.gateway.model.Model;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.plan.WorkKind;
import run.creativeai.gateway.pricing.PriceList;

/**
 * Admits requests at the door. A generation request is checked against its tier queue's depth,
 * priced on every link of its failover chain, then counted against every rule that applies to it and
 * the most it may cost reserved from its tenant's balance, and stored, in one limiter decision, then
 * queued by tier. Reads are counted against the read limit only, so they never use up creation
 * windows.
 */
public final class AdmissionService {
    private static final Logger LOG = LoggerFactory.getLogger(AdmissionService.class);

    private final AdmissionPolicy policy;
    private final Limiter limiter;
    private final JobStore jobs;
    private final JobQueue queue;
    private final ModelCatalog models;
    private final PriceList prices;
    private final Settlements settlements;
    private final QueueBackpressure backpressure;
    private final IdSource ids;
    private final Clock clock;
    private final DeadlineTimer deadlines;

    /**
     * @param settlements settles the credits of a job that is failed at the door (its queue could not
     *                    take it), which refunds them in full
     * @param deadlines   brings a job with a {@code Cancel-After} deadline back to the dispatcher when it
     *                    passes, however long the job waits in its queue
     */
    public AdmissionService(AdmissionPolicy policy, Limiter limiter, JobStore jobs, JobQueue queue, ModelCatalog models,
            PriceList prices, Settlements settlements, QueueBackpressure backpressure, IdSource ids, Clock clock,
            DeadlineTimer deadlines) {
        this.policy = policy;
        this.limiter = limiter;
        this.jobs = jobs;
        this.queue = queue;
        this.models = models;
        this.prices = prices;
        this.settlements = settlements;
        this.backpressure = backpressure;
        this.ids = ids;
        this.clock = clock;
        this.deadlines = deadlines;
    }

    public AdmissionResult admit(Principal principal, GenerationRequest request) {
        return admit(principal, request, JobId.next(ids), Optional.empty());
    }

    /**
     * Admits a request as job {@code id}: a workflow's step is admitted under the id its workflow gave
     * it when it was made, and says which step it runs.
     */
    public AdmissionResult admit(Principal principal, GenerationRequest request, JobId id, Optional<StepOf> step) {
        QueueReading depth = backpressure.reading(principal.plan().tier());
        Optional<Duration> full = backpressure.retryAfter(depth);
        if (full.isPresent()) {
            return new AdmissionResult.QueueFull(full.get(), depth);
        }
        Model model = models.resolve(request.model(), request.operation()).orElseThrow(
                () -> new IllegalArgumentException("request reached admission with an unknown model"));
        Instant now = clock.instant();
        JobCost cost = prices.quote(request, models.chainFor(model, request.weights().isPresent()));
        long credits = cost.reserved();
        Optional<RateLimitRule> budget = policy.keyBudget(principal).filter(b -> credits > 0);
        Optional<AdmissionDecision.Refused> overBudget = overWholeBudget(principal, credits, now);
        if (overBudget.isPresent()) {
            return new AdmissionResult.OverKeyBudget(overBudget.get(), credits);
        }
        // The job is written with the decision (counted, reserved and created, or none of them), so a
        // crash cannot leave credits reserved for a job that does not exist.
        Job job = Job.admitted(id, principal.tenantId(), principal.keyId(), principal.plan().tier(),
                principal.plan().name(), request, model.id(), now, budget.isPresent() ? cost.countedInKeyBudget() : cost,
                principal.terms(), step);
        Optional<CreditReservation> reservation = credits > 0
                ? Optional.of(new CreditReservation(principal.tenantId().value(), credits)) : Optional.empty();
        AdmissionDecision decision = limiter.admitCreating(policy.chargesForGeneration(principal, request, model, credits),
                reservation, new JobCreation(job, jobs), now);
        if (decision instanceof AdmissionDecision.InsufficientCredits unfunded) {
            return new AdmissionResult.Unfunded(unfunded);
        }
        if (decision instanceof AdmissionDecision.Refused refused) {
            return refused.refusedBy().rule().enforcement() == RateLimitRule.Enforcement.BUDGET
                    ? new AdmissionResult.OverKeyBudget(refused, credits)
                    : new AdmissionResult.RateLimited(refused);
        }
        try {
            queue.enqueue(job);
        } catch (RuntimeException e) {
            LOG.error("job {} could not be queued; failing it so it is not left pending", job.id(), e);
            Job failed = job.fail(new JobError("queue_unavailable", "the job could not be queued; submit it again"),
                    clock.instant());
            jobs.update(failed);
            // Its credits go back now; should this fail too, the reconciler settles the ended job later.
            try {
                settlements.settle(failed);
            } catch (RuntimeException settling) {
                LOG.warn("job {} failed at the door; its credits are settled by the reconciler", failed.id(), settling);
            }
            return new AdmissionResult.QueueUnavailable(failed);
        }
        job.deadline().ifPresent(deadline -> {
            try {
                deadlines.schedule(job.id(), Duration.between(now, deadline));
            } catch (RuntimeException e) {
                // Not lost: the dispatcher checks the deadline on every message of the job, the reconciler's included.
                LOG.warn("job {}: its deadline timer could not be set; its next step checks the deadline", job.id(), e);
            }
        });
        return new AdmissionResult.Accepted(job, (AdmissionDecision.Admitted) decision, depth);
    }

    /**
     * Counts a request that creates a workflow or a training ({@code kind}) against every rule that
     * applies to it ({@link AdmissionPolicy#chargesForCreation}: the plan's requests per minute and the
     * kind's own creates per window), and reserves {@code credits} (0: none) from its tenant's balance,
     * in one limiter decision. Admitted: counted and reserved; refused or short of credits: nothing was.
     * The caller stores and starts what it creates; its slot to run is {@code TenantConcurrency}'s.
     */
    public AdmissionDecision admitCreation(Principal principal, WorkKind kind, long credits) {
        Instant now = clock.instant();
        Optional<AdmissionDecision.Refused> overBudget = overWholeBudget(principal, credits, now);
        if (overBudget.isPresent()) {
            return overBudget.get();
        }
        return decide(principal, policy.chargesForCreation(principal, kind, credits), credits, now);
    }

    /** More than the key's whole daily budget: no counter can ever pass it, so it is refused as it stands. */
    private Optional<AdmissionDecision.Refused> overWholeBudget(Principal principal, long credits, Instant now) {
        Optional<RateLimitRule> budget = policy.keyBudget(principal).filter(b -> credits > 0);
        if (budget.isEmpty() || credits <= budget.get().limit()) {
            return Optional.empty();
        }
        LimitState spent = limiter.peek(List.of(new LimitCharge(budget.get(), principal.keyId().value(), 1)), now)
                .get(0);
        return Optional.of(new AdmissionDecision.Refused(spent, List.of(spent)));
    }

    private AdmissionDecision decide(Principal principal, List<LimitCharge> charges, long credits, Instant now) {
        Optional<CreditReservation> reservation = credits > 0
                ? Optional.of(new CreditReservation(principal.tenantId().value(), credits)) : Optional.empty();
        return charges.isEmpty() && reservation.isEmpty()
                ? new AdmissionDecision.Admitted(List.of()) : limiter.admit(charges, reservation, now);
    }

    /** A status or quota read, counted against the read limit alone. */
    public AdmissionDecision admitRead(Principal principal) {
        return decide(policy.chargesForRead(principal), clock.instant());
    }

    /** Where the key stands on every creation rule, for every model, counting nothing. */
    public List<LimitState> standing(Principal principal) {
        List<LimitCharge> rules = policy.creationRules(principal, models.all());
        return rules.isEmpty() ? List.of() : limiter.peek(rules, clock.instant());
    }

    private AdmissionDecision decide(List<LimitCharge> charges, Instant now) {
        return charges.isEmpty() ? new AdmissionDecision.Admitted(List.of()) : limiter.admit(charges, now);
    }
}
