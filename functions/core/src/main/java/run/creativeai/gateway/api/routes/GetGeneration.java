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
    private final ReadLimit reads;
    private final JobReplies jobs;

    public GetGeneration(ReadLimit reads, JobReplies jobs) {
        this.reads = reads;
        this.jobs = jobs;
    }

    @Override
    public String key() {
        return GatewayApi.GET_GENERATION;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Principal principal) {
        return reads.counted(principal, (decision, now) -> {
            Optional<Job> job = jobs.own(request, principal);
            return job.isEmpty() ? JobReplies.notFound(request) : jobs.current(200, job.get(), now).toResponse();
        });
    }
}
