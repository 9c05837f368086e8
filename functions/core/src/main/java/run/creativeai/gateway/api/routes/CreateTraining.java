package run.creativeai.gateway.api.routes;

import java.time.Duration;
import java.util.Optional;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.admission.AdmissionResult;
import run.creativeai.gateway.admission.AdmissionService;
import run.creativeai.gateway.api.AdmissionReplies;
import run.creativeai.gateway.api.ApiError;
import run.creativeai.gateway.api.ApiRequest;
import run.creativeai.gateway.api.ApiResponse;
import run.creativeai.gateway.api.GatewayApi;
import run.creativeai.gateway.api.GenerationInputs;
import run.creativeai.gateway.api.Parsed;
import run.creativeai.gateway.api.Route;
import run.creativeai.gateway.api.TrainingRequestParser;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.TrainingInput;
import run.creativeai.gateway.uploads.InputRefusal;
import run.creativeai.gateway.uploads.TrainingImages;

/**
 * {@code POST /v1/trainings}: a LoRA training through the same admission as a generation (limits,
 * credits, queues), as a job of kind {@code training}. Its images are checked and packed into one
 * archive before admission, so a bad image counts against no limit.
 */
public final class CreateTraining implements Route {
    private final TrainingRequestParser parser;
    private final TrainingImages images;
    private final AdmissionService admissions;
    private final AdmissionReplies replies;

    public CreateTraining(TrainingRequestParser parser, TrainingImages images, AdmissionService admissions,
            AdmissionReplies replies) {
        this.parser = parser;
        this.images = images;
        this.admissions = admissions;
        this.replies = replies;
    }

    @Override
    public String key() {
        return GatewayApi.CREATE_TRAINING;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Principal principal) {
        // A deadline as on every create: not started by then, aborted; still running, cancelled at the trainer.
        Parsed<Optional<Duration>> cancelAfter = CreateChecks.deadline(request, principal);
        if (cancelAfter instanceof Parsed.Invalid<Optional<Duration>> invalid) {
            return invalid.error().toResponse();
        }
        Parsed<GenerationRequest> parsed = parser.parse(request.body());
        if (parsed instanceof Parsed.Invalid<GenerationRequest> invalid) {
            return invalid.error().toResponse();
        }
        GenerationRequest training = ((Parsed.Valid<GenerationRequest>) parsed).value()
                .withCancelAfter(((Parsed.Valid<Optional<Duration>>) cancelAfter).value());
        TrainingInput input = training.training().orElseThrow();
        TrainingImages.Packed packed = images.pack(principal.tenantId(), input.images());
        if (packed instanceof TrainingImages.Refused refused) {
            return refusal(refused.refusal()).toResponse();
        }
        AdmissionResult result = admissions.admit(principal,
                training.withTrainingArchive(((TrainingImages.Archive) packed).archive()));
        return replies.reply(principal, result).toResponse();
    }

    /**
     * Every image that cannot be trained on is a 400 naming it ({@code images[i]}), an unknown or
     * another tenant's upload included: the same answer for both, so it tells nothing of the other.
     */
    private static ApiError refusal(InputRefusal refusal) {
        return new ApiError(400, "invalid_request_error", GenerationInputs.code(refusal), refusal.message(),
                java.util.Optional.of(refusal.field()));
    }
}
