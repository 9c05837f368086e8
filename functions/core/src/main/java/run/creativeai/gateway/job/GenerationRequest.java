package run.creativeai.gateway.job;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.model.MediaFormats;

/**
 * What the customer asked for, already validated: the API layer builds it only from input that
 * passed every check, so the rest of the system never re-validates.
 *
 * @param model        the model as requested ({@code auto} stays {@code auto}; the job records the resolved one)
 * @param n            images to generate (1 for video)
 * @param resolution   a video's resolution, one of {@link MediaFormats#VIDEO_RESOLUTIONS}; empty for an image
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
        Optional<String> metadataJson,
        Optional<String> resolution) {

    public GenerationRequest {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(durationSeconds, "durationSeconds");
        Objects.requireNonNull(imageUrl, "imageUrl");
        Objects.requireNonNull(webhookUrl, "webhookUrl");
        Objects.requireNonNull(metadataJson, "metadataJson");
        Objects.requireNonNull(resolution, "resolution");
        if (n < 1) {
            throw new IllegalArgumentException("n must be positive");
        }
    }

    /** A request without a resolution: every image, and a video at the default resolution. */
    public GenerationRequest(JobKind kind, String model, String prompt, int n, Optional<String> size,
            Optional<Integer> durationSeconds, Optional<URI> imageUrl, Optional<URI> webhookUrl,
            Optional<String> metadataJson) {
        this(kind, model, prompt, n, size, durationSeconds, imageUrl, webhookUrl, metadataJson, Optional.empty());
    }

    /** The resolution a video is made and priced at: the one asked for, or the default. */
    public String videoResolution() {
        return resolution.orElse(MediaFormats.DEFAULT_VIDEO_RESOLUTION);
    }
}
