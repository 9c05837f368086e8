package run.creativeai.gateway.provider;

import java.net.URI;
import java.util.Optional;
import run.creativeai.gateway.model.JobKind;

/**
 * What is sent to a provider for one attempt: the customer's request, addressed to one provider model.
 *
 * @param callbackUrl where the provider may announce the end of this attempt, for protocols whose
 *                    callbacks the gateway can verify; polling finishes the job without it
 * @param resolution  a video's resolution (what the job is priced at); empty for an image
 */
public record ProviderRequest(
        String providerModel,
        JobKind kind,
        String prompt,
        int n,
        Optional<String> size,
        Optional<Integer> durationSeconds,
        Optional<URI> imageUrl,
        Optional<URI> callbackUrl,
        Optional<String> resolution) {

    /** A request without a resolution: an image, or a video at the provider's default. */
    public ProviderRequest(String providerModel, JobKind kind, String prompt, int n, Optional<String> size,
            Optional<Integer> durationSeconds, Optional<URI> imageUrl, Optional<URI> callbackUrl) {
        this(providerModel, kind, prompt, n, size, durationSeconds, imageUrl, callbackUrl, Optional.empty());
    }
}
