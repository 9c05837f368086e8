package run.creativeai.gateway.api;

import java.util.Optional;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.media.MediaSource;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.training.TrainedModel;
import run.creativeai.gateway.training.TrainedModels;
import run.creativeai.gateway.uploads.InputImages;
import run.creativeai.gateway.uploads.InputRefusal;

/**
 * The step between parsing a generation request and admitting it: its input images are checked
 * (and URLs copied into uploads) by {@link InputImages}, and a refusal becomes the 4xx naming the
 * field, before any limit counts the request. A mask must be the size of its image. A request that
 * names one of the tenant's trained models ({@code ft_...}) becomes a request of its base model with
 * the trained weights; another tenant's model is a 404 like an unknown one, so nothing says it exists.
 */
public final class GenerationInputs {
    private final InputImages images;
    private final TrainedModels trained;

    public GenerationInputs(InputImages images, TrainedModels trained) {
        this.images = images;
        this.trained = trained;
    }

    /**
     * A workflow step's input that names an earlier step's output ({@link MediaSource.StepOutput}) is
     * the gateway's own once resolved, and is not checked here; the others are, as for any job.
     */
    public Parsed<GenerationRequest> check(TenantId tenant, GenerationRequest request) {
        if (TrainedModel.isTrainedModelId(request.model())) {
            Optional<TrainedModel> model = trained.find(tenant, request.model());
            if (model.isEmpty()) {
                return Parsed.invalid(new ApiError(404, "not_found_error", "model_not_found", "model "
                        + GenerationRequestParser.clip(request.model()) + " does not exist", Optional.of("model")));
            }
            request = new GenerationRequest(request.kind(), model.get().baseModel(), request.prompt(), request.n(),
                    request.size(), request.durationSeconds(), request.operation(), request.image(), request.mask(),
                    request.webhookUrl(), request.metadataJson(), request.resolution(), request.webhookEvents())
                    .withWeights(model.get().weights());
        }
        if (request.image().isEmpty()) {
            return Parsed.valid(request);
        }
        Optional<InputImages.Accepted> image = Optional.empty();
        Optional<MediaSource> checkedImage = request.image();
        if (!(request.image().get() instanceof MediaSource.StepOutput)) {
            InputImages.Checked checked = images.check(tenant, "image", request.image().get());
            if (checked instanceof InputImages.Refused refused) {
                return Parsed.invalid(error(refused.refusal()));
            }
            image = Optional.of((InputImages.Accepted) checked);
            checkedImage = Optional.of(new MediaSource.Upload(image.get().upload()));
        }
        Optional<MediaSource> mask = request.mask();
        if (request.mask().isPresent() && !(request.mask().get() instanceof MediaSource.StepOutput)) {
            InputImages.Checked checked = images.check(tenant, "mask", request.mask().get());
            if (checked instanceof InputImages.Refused refused) {
                return Parsed.invalid(error(refused.refusal()));
            }
            InputImages.Accepted maskAccepted = (InputImages.Accepted) checked;
            if (image.isPresent() && (maskAccepted.header().width() != image.get().header().width()
                    || maskAccepted.header().height() != image.get().header().height())) {
                return Parsed.invalid(ApiError.invalidField("mask", "mask is " + maskAccepted.header().width() + " x "
                        + maskAccepted.header().height() + " pixels but image is " + image.get().header().width() + " x "
                        + image.get().header().height() + "; they must be the same size"));
            }
            mask = Optional.of(new MediaSource.Upload(maskAccepted.upload()));
        }
        return Parsed.valid(request.withInputs(checkedImage, mask));
    }

    /** An upload that is not the caller's is a 404 like any unknown one; every other refusal a 400. */
    static ApiError error(InputRefusal refusal) {
        String code = code(refusal);
        int status = refusal.reason() == InputRefusal.Reason.NOT_FOUND ? 404 : 400;
        return new ApiError(status, status == 404 ? "not_found_error" : "invalid_request_error", code,
                refusal.message(), Optional.of(refusal.field()));
    }

    /** The error code that says why an input image was refused. */
    public static String code(InputRefusal refusal) {
        return switch (refusal.reason()) {
            case NOT_FOUND -> "upload_not_found";
            case EXPIRED -> "upload_expired";
            case NOT_UPLOADED -> "upload_incomplete";
            case NOT_AN_IMAGE -> "unsupported_image";
            case TYPE_MISMATCH -> "image_type_mismatch";
            case TOO_LARGE -> "image_too_large";
            case TOO_MANY_PIXELS -> "image_dimensions_too_large";
            case URL_REFUSED -> "image_url_refused";
            case URL_UNREACHABLE -> "image_url_unreachable";
        };
    }
}
