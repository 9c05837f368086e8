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
        Optional<String> resolution) {

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
