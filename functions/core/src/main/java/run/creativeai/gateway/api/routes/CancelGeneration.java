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
    private final String key;
    private final JobReplies jobs;
    private final JobCancellation cancellation;
    private final boolean trainings;

    public CancelGeneration(JobReplies jobs, JobCancellation cancellation) {
        this(GatewayApi.CANCEL_GENERATION, jobs, cancellation, false);
    }

    private CancelGeneration(String key, JobReplies jobs, JobCancellation cancellation, boolean trainings) {
        this.key = key;
        this.jobs = jobs;
        this.cancellation = cancellation;
        this.trainings = trainings;
    }

    /** {@code DELETE /v1/trainings/{id}}: the same for a training; any other job is a 404 there. */
    public static CancelGeneration trainings(JobReplies jobs, JobCancellation cancellation) {
        return new CancelGeneration(GatewayApi.CANCEL_TRAINING, jobs, cancellation, true);
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Principal principal) {
        Optional<Job> found = jobs.own(request, principal).filter(j -> !trainings || j.request().training().isPresent());
        if (found.isEmpty()) {
            return JobReplies.notFound(request);
        }
        JobCancellation.Result result = cancellation.cancel(found.get());
        Job job = result.job();
        if (result instanceof JobCancellation.AlreadyEnded) {
            String what = trainings ? "training" : "generation";
            return new ApiError(409, "invalid_request_error", what + "_ended", what + " " + job.id()
                    + " already " + job.status().wireName() + "; only a queued or running " + what + " can be cancelled",
                    Optional.empty()).toResponse();
        }
        return jobs.job(200, job).toResponse();
    }
}
