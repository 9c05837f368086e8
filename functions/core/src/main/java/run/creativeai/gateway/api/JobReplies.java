package run.creativeai.gateway.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.admission.QueueBackpressure;
import run.creativeai.gateway.admission.QueueReading;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.JobStatus;
import run.creativeai.gateway.job.JobStore;
import run.creativeai.gateway.job.JobView;
import run.creativeai.gateway.job.OutputLinks;

/**
 * A tenant's jobs as the routes that name one find and show them; every route that answers with a
 * job renders it here, so its outputs' download URLs are signed afresh on every answer. A job still
 * queued also shows its queue: its tier, the tier queue's depth (as {@link QueueBackpressure} last
 * read it, at most a second old) and how long it has waited so far.
 */
public final class JobReplies {
    private final JobStore jobs;
    private final QueueBackpressure queues;
    private final OutputLinks links;
    private final Clock clock;

    public JobReplies(JobStore jobs, QueueBackpressure queues, OutputLinks links, Clock clock) {
        this.jobs = jobs;
        this.queues = queues;
        this.links = links;
        this.clock = clock;
    }

    /** The job as it is now: {@link #job(int, Job)}, with its queue while it is queued. */
    public Reply current(int status, Job job, Instant now) {
        return job.status() == JobStatus.QUEUED ? job(status, job, queues.reading(job.tier()), now) : job(status, job);
    }

    /** Another tenant's job, like a job that does not exist, is absent: ids reveal nothing across tenants. */
    public Optional<Job> own(ApiRequest request, Principal principal) {
        return request.pathParameter("id").flatMap(JobId::parse).flatMap(jobs::find)
                .filter(j -> j.tenantId().equals(principal.tenantId()));
    }

    /** The 404 of a route that names a job the caller has not got. */
    public static ApiResponse notFound(ApiRequest request) {
        return ApiError.noSuch("generation", request.pathParameter("id").orElse("")).toResponse();
    }

    /** A job body plus the per-job observability headers of seed 000. */
    public Reply job(int status, Job job) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Model", job.modelActual().orElse(job.model()));
        job.timings().queueWait().ifPresent(d -> headers.put("X-Queue-Wait", d.toMillis() + "ms"));
        job.inferenceTime().ifPresent(d -> headers.put("X-Inference-Time", d.toMillis() + "ms"));
        return new Reply(status, headers, JobView.of(job, links, clock.instant()));
    }

    /** The same, showing a queued job's queue from {@code queue}, read by whoever answers now. */
    public Reply job(int status, Job job, QueueReading queue, Instant now) {
        Reply reply = job(status, job);
        if (job.status() == JobStatus.QUEUED) {
            reply.body().putObject("queue").put("tier", queue.tier().wireName()).put("depth", queue.pending())
                    .put("waited_ms", Math.max(0, Duration.between(job.timings().createdAt(), now).toMillis()));
        }
        return reply;
    }
}
