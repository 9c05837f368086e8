package run.creativeai.gateway.job;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import run.creativeai.gateway.media.MediaSource;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.model.MediaFormats;
import run.creativeai.gateway.model.Operation;

/**
 * What the customer asked for, already validated: the API layer builds it only from input that
 * passed every check, so the rest of the system never re-validates.
 *
 * @param model        the model as requested ({@code auto} stays {@code auto}; the job records the resolved one)
 * @param prompt       empty only for an operation that takes none or may go without ({@link Operation#prompt()})
 * @param n            images to generate (1 for video)
 * @param operation    what the job does; its inputs are exactly those it needs
 * @param image        the input image, for an operation that needs one; an admitted job names an upload
 * @param mask         the inpainting mask, for an operation that needs one; an admitted job names an upload
 * @param resolution   a video's resolution, one of {@link MediaFormats#VIDEO_RESOLUTIONS}; empty for an image
 * @param webhookEvents the events the webhook hears ({@code webhook_events_filter}); never empty
 * @param metadataJson the customer's metadata object, echoed back verbatim
 * @param cancelAfter  the {@code Cancel-After} header: how long after admission the job may run before
 *                     it is aborted (not started yet) or cancelled (running); empty for no deadline
 */
public record GenerationRequest(
        JobKind kind,
        String model,
        String prompt,
        int n,
        Optional<String> size,
        Optional<Integer> durationSeconds,
        Operation operation,
        Optional<MediaSource> image,
        Optional<MediaSource> mask,
        Optional<URI> webhookUrl,
        Optional<String> metadataJson,
        Optional<String> resolution,
        Set<WebhookEventKind> webhookEvents,
        Optional<Duration> cancelAfter) {

    public GenerationRequest {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(durationSeconds, "durationSeconds");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(webhookUrl, "webhookUrl");
        Objects.requireNonNull(metadataJson, "metadataJson");
        Objects.requireNonNull(resolution, "resolution");
        if (webhookEvents.isEmpty()) {
            throw new IllegalArgumentException("a webhook subscribes to at least one event");
        }
        webhookEvents = WebhookEventKind.filter(webhookEvents);
        Objects.requireNonNull(cancelAfter, "cancelAfter");
        if (cancelAfter.filter(d -> d.isNegative() || d.isZero()).isPresent()) {
            throw new IllegalArgumentException("a deadline lies after admission");
        }
        if (n < 1) {
            throw new IllegalArgumentException("n must be positive");
        }
        if (operation.kind() != kind) {
            throw new IllegalArgumentException(operation.wireName() + " is not a " + kind.wireName() + " operation");
        }
        if (image.isPresent() != operation.needsImage() || mask.isPresent() != operation.needsMask()) {
            throw new IllegalArgumentException(operation.wireName() + " takes exactly the inputs it needs");
        }
    }

    /** A request without a deadline. */
    public GenerationRequest(JobKind kind, String model, String prompt, int n, Optional<String> size,
            Optional<Integer> durationSeconds, Operation operation, Optional<MediaSource> image,
            Optional<MediaSource> mask, Optional<URI> webhookUrl, Optional<String> metadataJson,
            Optional<String> resolution, Set<WebhookEventKind> webhookEvents) {
        this(kind, model, prompt, n, size, durationSeconds, operation, image, mask, webhookUrl, metadataJson,
                resolution, webhookEvents, Optional.empty());
    }

    /** A request whose webhook, if it has one, hears the default events. */
    public GenerationRequest(JobKind kind, String model, String prompt, int n, Optional<String> size,
            Optional<Integer> durationSeconds, Operation operation, Optional<MediaSource> image,
            Optional<MediaSource> mask, Optional<URI> webhookUrl, Optional<String> metadataJson,
            Optional<String> resolution) {
        this(kind, model, prompt, n, size, durationSeconds, operation, image, mask, webhookUrl, metadataJson,
                resolution, WebhookEventKind.DEFAULT);
    }

    /** A request without a resolution (every image, and a video at the default) whose webhook hears {@code webhookEvents}. */
    public GenerationRequest(JobKind kind, String model, String prompt, int n, Optional<String> size,
            Optional<Integer> durationSeconds, Operation operation, Optional<MediaSource> image,
            Optional<MediaSource> mask, Optional<URI> webhookUrl, Optional<String> metadataJson,
            Set<WebhookEventKind> webhookEvents) {
        this(kind, model, prompt, n, size, durationSeconds, operation, image, mask, webhookUrl, metadataJson,
                Optional.empty(), webhookEvents);
    }

    /** A request from text, or (video) from the image at {@code imageUrl}: the operation its inputs imply. */
    public GenerationRequest(JobKind kind, String model, String prompt, int n, Optional<String> size,
            Optional<Integer> durationSeconds, Optional<URI> imageUrl, Optional<URI> webhookUrl,
            Optional<String> metadataJson) {
        this(kind, model, prompt, n, size, durationSeconds, Operation.defaultFor(kind, imageUrl.isPresent()),
                imageUrl.map(MediaSource.Remote::new), Optional.empty(), webhookUrl, metadataJson);
    }

    /**
     * A request without a resolution (every image, and a video at the default resolution) whose
     * webhook, if it has one, hears the default events.
     */
    public GenerationRequest(JobKind kind, String model, String prompt, int n, Optional<String> size,
            Optional<Integer> durationSeconds, Operation operation, Optional<MediaSource> image,
            Optional<MediaSource> mask, Optional<URI> webhookUrl, Optional<String> metadataJson) {
        this(kind, model, prompt, n, size, durationSeconds, operation, image, mask, webhookUrl, metadataJson,
                Optional.empty(), WebhookEventKind.DEFAULT);
    }

    /** The same request with its inputs replaced, once they have been checked (and copied) into uploads. */
    public GenerationRequest withInputs(Optional<MediaSource> checkedImage, Optional<MediaSource> checkedMask) {
        return new GenerationRequest(kind, model, prompt, n, size, durationSeconds, operation, checkedImage, checkedMask,
                webhookUrl, metadataJson, resolution, webhookEvents, cancelAfter);
    }

    /** The same request with the deadline its {@code Cancel-After} header asked for. */
    public GenerationRequest withCancelAfter(Optional<Duration> deadline) {
        return new GenerationRequest(kind, model, prompt, n, size, durationSeconds, operation, image, mask, webhookUrl,
                metadataJson, resolution, webhookEvents, deadline);
    }

    /** The prompt, when the request has one. */
    public Optional<String> promptText() {
        return prompt.isEmpty() ? Optional.empty() : Optional.of(prompt);
    }

    /** The resolution a video is made and priced at: the one asked for, or the default. */
    public String videoResolution() {
        return resolution.orElse(MediaFormats.DEFAULT_VIDEO_RESOLUTION);
    }
}
