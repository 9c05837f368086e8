package run.creativeai.gateway.provider;

import java.net.URI;
import java.util.Optional;
import run.creativeai.gateway.job.JobKind;

/** What is sent to a provider for one attempt: the customer's request, addressed to one provider model. */
public record ProviderRequest(
        String providerModel,
        JobKind kind,
        String prompt,
        int n,
        Optional<String> size,
        Optional<Integer> durationSeconds,
        Optional<URI> imageUrl) {
}
