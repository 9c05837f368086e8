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
 * @param training     a LoRA training's inputs: present exactly for {@link Operation#LORA_TRAINING}
 * @param weights      the trained LoRA a generation runs its base model with, when it names a model of
 *                     the tenant's own ({@code ft_...}); {@code model} is then that model's base
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
        Optional<Duration> cancelAfter,
        Optional<TrainingInput> training,
        Optional<TrainedWeights> weights) {

    public GenerationRequest {
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(weights, "weights");
        if (training.isPresent() != (operation == Operation.LORA_TRAINING)) {
            throw new IllegalArgumentException("a training, and only a training, has training inputs");
        }
        if (weights.isPresent() && kind != JobKind.IMAGE) {
            throw new IllegalArgumentException("trained weights apply to image generation only");
        }
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

    /** A generation (not a training) without trained weights and without a deadline. */
    public GenerationRequest(JobKind kind, String model, String prompt, int n, Optional<String> size,
            Optional<Integer> durationSeconds, Operation operation, Optional<MediaSource> image,
            Optional<MediaSource> mask, Optional<URI> webhookUrl, Optional<String> metadataJson,
            Optional<String> resolution, Set<WebhookEventKind> webhookEvents) {
        this(kind, model, prompt, n, size, durationSeconds, operation, image, mask, webhookUrl, metadataJson,
                resolution, webhookEvents, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** A LoRA training of {@code model} (the trainer the base model's chain starts from). */
    public static GenerationRequest training(String model, TrainingInput training, Optional<URI> webhookUrl,
            Optional<String> metadataJson, Set<WebhookEventKind> webhookEvents) {
        return new GenerationRequest(JobKind.TRAINING, model, "", 1, Optional.empty(), Optional.empty(),
                Operation.LORA_TRAINING, Optional.empty(), Optional.empty(), webhookUrl, metadataJson, Optional.empty(),
                webhookEvents, Optional.empty(), Optional.of(training), Optional.empty());
    }

    /** The same generation, run with a tenant's trained weights on its base model. */
    public GenerationRequest withWeights(TrainedWeights trained) {
        return new GenerationRequest(kind, model, prompt, n, size, durationSeconds, operation, image, mask, webhookUrl,
                metadataJson, resolution, webhookEvents, cancelAfter, training, Optional.of(trained));
    }

    /** The same training with its images packed into {@code archive}. */
    public GenerationRequest withTrainingArchive(run.creativeai.gateway.media.UploadId archive) {
        return new GenerationRequest(kind, model, prompt, n, size, durationSeconds, operation, image, mask, webhookUrl,
                metadataJson, resolution, webhookEvents, cancelAfter, training.map(t -> t.withArchive(archive)), weights);
    }

    /**
     * The model the customer named: a trained model's id, a training's base model, or the catalogue
     * model as requested.
     */
    public String requestedModel() {
        return weights.map(TrainedWeights::model).or(() -> training.map(TrainingInput::baseModel)).orElse(model);
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
                webhookUrl, metadataJson, resolution, webhookEvents, cancelAfter, training, weights);
    }

    /** The same request with the deadline its {@code Cancel-After} header asked for. */
    public GenerationRequest withCancelAfter(Optional<Duration> deadline) {
        return new GenerationRequest(kind, model, prompt, n, size, durationSeconds, operation, image, mask, webhookUrl,
                metadataJson, resolution, webhookEvents, deadline, training, weights);
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
