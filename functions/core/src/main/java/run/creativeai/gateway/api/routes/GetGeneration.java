package run.creativeai.gateway.api.routes;

import java.util.Optional;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.api.ApiRequest;
import run.creativeai.gateway.api.ApiResponse;
import run.creativeai.gateway.api.GatewayApi;
import run.creativeai.gateway.api.JobReplies;
import run.creativeai.gateway.api.ReadLimit;
import run.creativeai.gateway.api.Route;
import run.creativeai.gateway.job.Job;

/**
 * {@code GET /v1/generations/{id}}: a job of the caller's tenant as it now is (while queued, with its
 * queue); a read, counted against the read limit.
 */
public final class GetGeneration implements Route {
    private final String key;
    private final ReadLimit reads;
    private final JobReplies jobs;
    private final boolean trainings;

    public GetGeneration(ReadLimit reads, JobReplies jobs) {
        this(GatewayApi.GET_GENERATION, reads, jobs, false);
    }

    private GetGeneration(String key, ReadLimit reads, JobReplies jobs, boolean trainings) {
        this.key = key;
        this.reads = reads;
        this.jobs = jobs;
        this.trainings = trainings;
    }

    /** {@code GET /v1/trainings/{id}}: the same for a training; any other job is a 404 there. */
    public static GetGeneration trainings(ReadLimit reads, JobReplies jobs) {
        return new GetGeneration(GatewayApi.GET_TRAINING, reads, jobs, true);
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Principal principal) {
        return reads.counted(principal, (decision, now) -> {
            Optional<Job> job = jobs.own(request, principal).filter(j -> !trainings || j.request().training().isPresent());
            return job.isEmpty() ? JobReplies.notFound(request) : jobs.current(200, job.get(), now).toResponse();
        });
    }
}
