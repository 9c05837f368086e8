package run.creativeai.gateway.api.routes;

import java.util.Optional;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.api.ApiError;
import run.creativeai.gateway.api.ApiRequest;
import run.creativeai.gateway.api.ApiResponse;
import run.creativeai.gateway.api.GatewayApi;
import run.creativeai.gateway.api.JobReplies;
import run.creativeai.gateway.api.Route;
import run.creativeai.gateway.dispatch.JobCancellation;
import run.creativeai.gateway.job.Job;

/**
 * {@code DELETE /v1/generations/{id}}: cancels a queued or running job of the caller's tenant (see
 * {@link JobCancellation}): 200 with the cancelled job; 409 when it had already ended; 404 for an
 * unknown id or another tenant's job.
 */
public final class CancelGeneration implements Route {
    private final JobReplies jobs;
    private final JobCancellation cancellation;

    public CancelGeneration(JobReplies jobs, JobCancellation cancellation) {
        this.jobs = jobs;
        this.cancellation = cancellation;
    }

    @Override
    public String key() {
        return GatewayApi.CANCEL_GENERATION;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Principal principal) {
        Optional<Job> found = jobs.own(request, principal);
        if (found.isEmpty()) {
            return JobReplies.notFound(request);
        }
        JobCancellation.Result result = cancellation.cancel(found.get());
        Job job = result.job();
        if (result instanceof JobCancellation.AlreadyEnded) {
            return new ApiError(409, "invalid_request_error", "generation_ended", "generation " + job.id()
                    + " already " + job.status().wireName() + "; only a queued or running generation can be cancelled",
                    Optional.empty()).toResponse();
        }
        return jobs.job(200, job).toResponse();
    }
}
