package run.creativeai.gateway.admission;

import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.config.IdSource;
import run.creativeai.gateway.dispatch.JobQueue;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobError;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.JobStore;
import run.creativeai.gateway.limits.AdmissionDecision;
import run.creativeai.gateway.limits.AdmissionPolicy;
import run.creativeai.gateway.limits.Limiter;
import run.creativeai.gateway.model.Model;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.tenant.Principal;

/** Admits a validated generation request: counts it against its limits, stores the job, queues it by tier. */
public final class AdmissionService {
    private static final Logger LOG = LoggerFactory.getLogger(AdmissionService.class);

    private final AdmissionPolicy policy;
    private final Limiter limiter;
    private final JobStore jobs;
    private final JobQueue queue;
    private final ModelCatalog models;
    private final IdSource ids;
    private final Clock clock;

    public AdmissionService(AdmissionPolicy policy, Limiter limiter, JobStore jobs, JobQueue queue, ModelCatalog models,
            IdSource ids, Clock clock) {
        this.policy = policy;
        this.limiter = limiter;
        this.jobs = jobs;
        this.queue = queue;
        this.models = models;
        this.ids = ids;
        this.clock = clock;
    }

    public AdmissionResult admit(Principal principal, GenerationRequest request) {
        Instant now = clock.instant();
        AdmissionDecision decision = limiter.admit(policy.chargesForGeneration(principal.keyId(), principal.plan()), now);
        if (decision instanceof AdmissionDecision.Refused refused) {
            return new AdmissionResult.RateLimited(refused);
        }
        Model model = models.resolve(request.model(), request.kind()).orElseThrow(
                () -> new IllegalArgumentException("request reached admission with an unknown model"));
        Job job = Job.admitted(JobId.next(ids), principal.tenantId(), principal.keyId(), principal.plan().tier(), request,
                model.id(), now);
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
}
