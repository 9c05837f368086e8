package run.creativeai.gateway.admission;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.config.IdSource;
import run.creativeai.gateway.dispatch.JobQueue;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobError;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.JobStore;
import run.creativeai.gateway.limits.AdmissionDecision;
import run.creativeai.gateway.limits.LimitCharge;
import run.creativeai.gateway.limits.LimitState;
import run.creativeai.gateway.limits.Limiter;
import run.creativeai.gateway.model.Model;
import run.creativeai.gateway.model.ModelCatalog;

/**
 * Admits requests at the door. A generation request is checked against its tier queue's depth, then
 * counted against every rule that applies to it in one limiter decision, then stored and queued by
 * tier. Reads are counted against the read limit only, so they never use up creation windows.
 */
public final class AdmissionService {
    private static final Logger LOG = LoggerFactory.getLogger(AdmissionService.class);

    private final AdmissionPolicy policy;
    private final Limiter limiter;
    private final JobStore jobs;
    private final JobQueue queue;
    private final ModelCatalog models;
    private final QueueBackpressure backpressure;
    private final IdSource ids;
    private final Clock clock;

    public AdmissionService(AdmissionPolicy policy, Limiter limiter, JobStore jobs, JobQueue queue, ModelCatalog models,
            QueueBackpressure backpressure, IdSource ids, Clock clock) {
        this.policy = policy;
        this.limiter = limiter;
        this.jobs = jobs;
        this.queue = queue;
        this.models = models;
        this.backpressure = backpressure;
        this.ids = ids;
        this.clock = clock;
    }

    public AdmissionResult admit(Principal principal, GenerationRequest request) {
        Optional<Duration> full = backpressure.retryAfter(principal.plan().tier());
        if (full.isPresent()) {
            return new AdmissionResult.QueueFull(full.get());
        }
        Model model = models.resolve(request.model(), request.operation()).orElseThrow(
                () -> new IllegalArgumentException("request reached admission with an unknown model"));
        Instant now = clock.instant();
        AdmissionDecision decision = decide(policy.chargesForGeneration(principal, request, model), now);
        if (decision instanceof AdmissionDecision.Refused refused) {
            return new AdmissionResult.RateLimited(refused);
        }
        Job job = Job.admitted(JobId.next(ids), principal.tenantId(), principal.keyId(), principal.plan().tier(),
                principal.plan().name(), request, model.id(), now);
        if (!jobs.create(job)) {
            throw new IllegalStateException("job id " + job.id() + " collided with an existing job");
        }
        try {
            queue.enqueue(job);
        } catch (RuntimeException e) {
            LOG.error("job {} could not be queued; failing it so it is not left pending", job.id(), e);
            Job failed = job.fail(new JobError("queue_unavailable", "the job could not be queued; submit it again"),
                    clock.instant());
            jobs.update(failed);
            return new AdmissionResult.QueueUnavailable(failed);
        }
        return new AdmissionResult.Accepted(job, (AdmissionDecision.Admitted) decision);
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
