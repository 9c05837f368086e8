package run.creativeai.gateway.provider;

import java.net.URI;
import java.util.Optional;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.model.Operation;

/**
 * What is sent to a provider for one attempt: the customer's request, addressed to the provider
 * model that does its operation.
 *
 * @param prompt      empty when the operation goes without one
 * @param image       the input image, a presigned GET URL of the uploads bucket valid for the attempt
 * @param mask        the inpainting mask, likewise
 * @param callbackUrl where the provider may announce the end of this attempt, for protocols whose
 *                    callbacks the gateway can verify; polling finishes the job without it
 * @param resolution  a video's resolution (what the job is priced at); empty for an image
 * @param training    a LoRA training's inputs, for {@link Operation#LORA_TRAINING}
 * @param lora        trained LoRA weights to run the model with, for a generation on a tenant's own model
 */
public record ProviderRequest(
        String providerModel,
        Operation operation,
        String prompt,
        int n,
        Optional<String> size,
        Optional<Integer> durationSeconds,
        Optional<URI> image,
        Optional<URI> mask,
        Optional<URI> callbackUrl,
        Optional<String> resolution,
        Optional<Training> training,
        Optional<Lora> lora) {

    /** What a trainer is given: the images as a zip at a presigned URL, the trigger word and the steps. */
    public record Training(URI imagesZip, String triggerWord, int steps) {
    }

    /** LoRA weights at a presigned URL of the outputs bucket, and how strongly they apply. */
    public record Lora(URI weights, double scale) {
    }

    /** A generation without trained weights. */
    public ProviderRequest(String providerModel, Operation operation, String prompt, int n, Optional<String> size,
            Optional<Integer> durationSeconds, Optional<URI> image, Optional<URI> mask, Optional<URI> callbackUrl,
            Optional<String> resolution) {
        this(providerModel, operation, prompt, n, size, durationSeconds, image, mask, callbackUrl, resolution,
                Optional.empty(), Optional.empty());
    }

    /** A LoRA training at {@code providerModel}. */
    public static ProviderRequest training(String providerModel, Training training, Optional<URI> callbackUrl) {
        return new ProviderRequest(providerModel, Operation.LORA_TRAINING, "", 1, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), callbackUrl, Optional.empty(), Optional.of(training), Optional.empty());
    }

    /** A request without a resolution: an image, or a video at the provider's default. */
    public ProviderRequest(String providerModel, Operation operation, String prompt, int n, Optional<String> size,
            Optional<Integer> durationSeconds, Optional<URI> image, Optional<URI> mask, Optional<URI> callbackUrl) {
        this(providerModel, operation, prompt, n, size, durationSeconds, image, mask, callbackUrl, Optional.empty());
    }

    /** A request from text, or (video) from the image at {@code imageUrl}. */
    public ProviderRequest(String providerModel, JobKind kind, String prompt, int n, Optional<String> size,
            Optional<Integer> durationSeconds, Optional<URI> imageUrl, Optional<URI> callbackUrl) {
        this(providerModel, Operation.defaultFor(kind, imageUrl.isPresent()), prompt, n, size, durationSeconds, imageUrl,
                Optional.empty(), callbackUrl);
    }

    public JobKind kind() {
        return operation.kind();
    }
}
