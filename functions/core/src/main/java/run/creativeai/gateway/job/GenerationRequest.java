package run.creativeai.gateway.job;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import run.creativeai.gateway.model.JobKind;

/**
 * What the customer asked for, already validated: the API layer builds it only from input that
 * passed every check, so the rest of the system never re-validates.
 *
 * @param model        the model as requested ({@code auto} stays {@code auto}; the job records the resolved one)
 * @param n            images to generate (1 for video)
 * @param metadataJson the customer's metadata object, echoed back verbatim
 */
public record GenerationRequest(
        JobKind kind,
        String model,
        String prompt,
        int n,
        Optional<String> size,
        Optional<Integer> durationSeconds,
        Optional<URI> imageUrl,
        Optional<URI> webhookUrl,
        Optional<String> metadataJson) {

    public GenerationRequest {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(durationSeconds, "durationSeconds");
        Objects.requireNonNull(imageUrl, "imageUrl");
        Objects.requireNonNull(webhookUrl, "webhookUrl");
        Objects.requireNonNull(metadataJson, "metadataJson");
        if (n < 1) {
            throw new IllegalArgumentException("n must be positive");
        }
    }
}
