package run.creativeai.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.WebhookEventKind;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.media.MediaSource;
import run.creativeai.gateway.media.UploadId;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.model.MediaFormats;
import run.creativeai.gateway.model.Model;
import run.creativeai.gateway.model.Operation;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.training.TrainedModel;
import run.creativeai.gateway.webhook.WebhookUrlPolicy;

/**
 * Reads and checks the body of an image or video generation request: its operation and exactly the
 * inputs that operation takes ({@code image}, {@code mask}, {@code prompt}), on a model that can do
 * it. The inputs' bytes are checked later, before admission ({@code GenerationInputs}). Every refusal is a 400 whose
 * message and {@code param} name the field, and unknown fields are refused too, so a misspelt
 * {@code webhookUrl} fails loudly instead of silently sending no webhook. Every string in it must be
 * text a request may carry ({@link RequestText}).
 */
public final class GenerationRequestParser {
    public static final int MAX_PROMPT_LENGTH = 4000;
    public static final int MAX_IMAGES = JobKind.MAX_IMAGES;
    public static final int MAX_METADATA_BYTES = 4096;
    public static final List<String> IMAGE_SIZES = MediaFormats.IMAGE_SIZES;
    public static final List<Integer> VIDEO_DURATIONS = MediaFormats.VIDEO_DURATIONS;

    private static final Set<String> IMAGE_FIELDS = Set.of("model", "operation", "prompt", "image", "mask", "n", "size",
            "webhook_url", "webhook_events_filter", "metadata");
    private static final Set<String> VIDEO_FIELDS = Set.of("model", "operation", "prompt", "image", "image_url", "mask",
            "duration", "resolution", "webhook_url", "webhook_events_filter", "metadata");

    private final ModelCatalog models;
    private final WebhookUrlPolicy webhookUrls;

    public GenerationRequestParser(ModelCatalog models, WebhookUrlPolicy webhookUrls) {
        this.models = models;
        this.webhookUrls = webhookUrls;
    }

    public Parsed<GenerationRequest> parse(JobKind kind, byte[] body) {
        Parsed<JsonNode> json = object(body);
        if (json instanceof Parsed.Invalid<JsonNode> invalid) {
            return Parsed.invalid(invalid.error());
        }
        return parse(kind, ((Parsed.Valid<JsonNode>) json).value());
    }

    /** Checks one request object (a whole body, or one task of a batch). */
    public Parsed<GenerationRequest> parse(JobKind kind, JsonNode node) {
        if (!node.isObject()) {
            return Parsed.invalid(ApiError.invalidRequest("invalid_body", "request body must be a JSON object"));
        }
        Set<String> allowed = kind == JobKind.IMAGE ? IMAGE_FIELDS : VIDEO_FIELDS;
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!allowed.contains(field)) {
                return invalid(clip(field), "unknown field '" + clip(field) + "' for " + kind.wireName()
                        + " generation; allowed fields are " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }

        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            Optional<String> text = RequestText.problem(field.getKey(), field.getValue());
            if (text.isPresent()) {
                return invalid(field.getKey(), text.get());
            }
        }

        JsonNode operationNode = node.get("operation");
        Optional<Operation> named = Optional.empty();
        if (operationNode != null && !operationNode.isNull()) {
            named = operationNode.isTextual() ? Operation.fromWire(operationNode.asText()).filter(o -> o.kind() == kind)
                    : Optional.empty();
            if (named.isEmpty()) {
                return invalid("operation", "operation must be one of " + String.join(", ", Operation.wireNames(kind))
                        + " for " + kind.wireName() + " generation");
            }
        }

        // image_url is the video route's older name for image, kept for the clients that use it.
        JsonNode imageNode = node.get("image");
        String imageField = "image";
        JsonNode legacyImage = node.get("image_url");
        if (legacyImage != null && !legacyImage.isNull()) {
            if (imageNode != null && !imageNode.isNull()) {
                return invalid("image_url", "give image or its older name image_url, not both");
            }
            imageNode = legacyImage;
            imageField = "image_url";
        }
        boolean hasImage = imageNode != null && !imageNode.isNull();
        JsonNode maskNode = node.get("mask");
        boolean hasMask = maskNode != null && !maskNode.isNull();
        Operation operation = named.orElse(Operation.defaultFor(kind, hasImage));
        if (operation.needsImage() && !hasImage) {
            return invalid("image", "image is required for " + operation.wireName()
                    + ": an upload id (upl_...) or an https URL of a PNG, JPEG or WebP image");
        }
        if (!operation.needsImage() && hasImage) {
            return invalid(imageField, imageField + " is not used by " + operation.wireName());
        }
        if (operation.needsMask() && !hasMask) {
            return invalid("mask", "mask is required for " + operation.wireName()
                    + ": an upload id (upl_...) or an https URL of the mask image, white where to paint");
        }
        if (!operation.needsMask() && hasMask) {
            return invalid("mask", "mask is only used by inpainting, not by " + operation.wireName());
        }
        Optional<MediaSource> image = Optional.empty();
        if (hasImage) {
            Parsed<MediaSource> parsed = media(imageField, imageNode);
            if (parsed instanceof Parsed.Invalid<MediaSource> bad) {
                return Parsed.invalid(bad.error());
            }
            image = Optional.of(((Parsed.Valid<MediaSource>) parsed).value());
        }
        Optional<MediaSource> mask = Optional.empty();
        if (hasMask) {
            Parsed<MediaSource> parsed = media("mask", maskNode);
            if (parsed instanceof Parsed.Invalid<MediaSource> bad) {
                return Parsed.invalid(bad.error());
            }
            mask = Optional.of(((Parsed.Valid<MediaSource>) parsed).value());
        }

        JsonNode modelNode = node.get("model");
        if (modelNode == null || modelNode.isNull()) {
            return invalid("model", "model is required; use one of " + String.join(", ", models.namesFor(operation)));
        }
        if (!modelNode.isTextual()) {
            return invalid("model", "model must be a string");
        }
        String model = modelNode.asText().trim().toLowerCase(java.util.Locale.ROOT);
        // A tenant's own model (ft_...) is looked up for the tenant before admission (GenerationInputs).
        boolean trained = TrainedModel.isTrainedModelId(model);
        if (trained && operation != Operation.TEXT_TO_IMAGE) {
            return invalid(kind == JobKind.IMAGE ? "operation" : "model", "a trained model (" + clip(model)
                    + ") does " + Operation.TEXT_TO_IMAGE.wireName() + " only, on POST /v1/images/generations");
        }
        Optional<Model> resolved = models.resolve(model, operation);
        if (!trained && resolved.isEmpty() && models.resolve(model, kind).isEmpty()) {
            return invalid("model", "model '" + clip(modelNode.asText()) + "' is not available for " + kind.wireName()
                    + " generation; use one of " + String.join(", ", models.namesFor(kind)));
        }
        if (!trained && (resolved.isEmpty() || !resolved.get().supports(operation))) {
            return invalid("model", "model '" + clip(modelNode.asText()) + "' cannot do " + operation.wireName()
                    + "; use one of " + String.join(", ", models.namesFor(operation)));
        }

        JsonNode promptNode = node.get("prompt");
        String prompt = "";
        boolean hasPrompt = promptNode != null && !promptNode.isNull();
        if (operation.prompt() == Operation.Prompt.NONE && hasPrompt) {
            return invalid("prompt", "prompt is not used by " + operation.wireName());
        }
        if (operation.prompt() == Operation.Prompt.REQUIRED && !hasPrompt) {
            return invalid("prompt", "prompt is required" + (operation.needsImage() ? " for " + operation.wireName() : ""));
        }
        if (hasPrompt) {
            if (!promptNode.isTextual()) {
                return invalid("prompt", "prompt must be a string");
            }
            prompt = promptNode.asText();
            if (prompt.isBlank()) {
                return invalid("prompt", "prompt must not be empty");
            }
            if (prompt.codePointCount(0, prompt.length()) > MAX_PROMPT_LENGTH) {
                return invalid("prompt", "prompt must be at most " + MAX_PROMPT_LENGTH + " characters");
            }
        }

        int n = 1;
        Optional<String> size = Optional.empty();
        Optional<Integer> duration = Optional.empty();
        Optional<String> resolution = Optional.empty();
        boolean followsInput = !operation.takesSize();
        if (kind == JobKind.IMAGE) {
            JsonNode nNode = node.get("n");
            if (nNode != null && !nNode.isNull()) {
                if (!nNode.isIntegralNumber() || !nNode.canConvertToInt() || nNode.asInt() < 1 || nNode.asInt() > MAX_IMAGES) {
                    return invalid("n", "n must be an integer from 1 to " + MAX_IMAGES);
                }
                if (followsInput && nNode.asInt() != 1) {
                    return invalid("n", "n must be 1 for " + operation.wireName() + ": it makes one image of its input");
                }
                n = nNode.asInt();
            }
            JsonNode sizeNode = node.get("size");
            if (sizeNode != null && !sizeNode.isNull()) {
                if (followsInput) {
                    return invalid("size", "size is not used by " + operation.wireName()
                            + ": the output follows the input image");
                }
                if (!sizeNode.isTextual() || !IMAGE_SIZES.contains(sizeNode.asText())) {
                    return invalid("size", "size must be one of " + String.join(", ", IMAGE_SIZES));
                }
                size = Optional.of(sizeNode.asText());
            } else if (operation == Operation.TEXT_TO_IMAGE) {
                size = Optional.of(MediaFormats.DEFAULT_IMAGE_SIZE);
            }
        } else {
            JsonNode durationNode = node.get("duration");
            if (durationNode == null || durationNode.isNull()) {
                return invalid("duration", "duration is required: the clip length in seconds, one of "
                        + VIDEO_DURATIONS.stream().map(String::valueOf).toList());
            }
            if (!durationNode.isIntegralNumber() || !durationNode.canConvertToInt()
                    || !VIDEO_DURATIONS.contains(durationNode.asInt())) {
                return invalid("duration", "duration must be one of " + VIDEO_DURATIONS + " seconds");
            }
            duration = Optional.of(durationNode.asInt());
            JsonNode resolutionNode = node.get("resolution");
            if (resolutionNode != null && !resolutionNode.isNull()) {
                if (!resolutionNode.isTextual() || !MediaFormats.VIDEO_RESOLUTIONS.contains(resolutionNode.asText())) {
                    return invalid("resolution", "resolution must be one of "
                            + String.join(", ", MediaFormats.VIDEO_RESOLUTIONS) + " (default "
                            + MediaFormats.DEFAULT_VIDEO_RESOLUTION + ")");
                }
                resolution = Optional.of(resolutionNode.asText());
            } else {
                resolution = Optional.of(MediaFormats.DEFAULT_VIDEO_RESOLUTION);
            }
        }

        Optional<URI> webhook = Optional.empty();
        JsonNode webhookNode = node.get("webhook_url");
        if (webhookNode != null && !webhookNode.isNull()) {
            Parsed<URI> parsed = webhookUrl("webhook_url", webhookNode);
            if (parsed instanceof Parsed.Invalid<URI> bad) {
                return Parsed.invalid(bad.error());
            }
            webhook = Optional.of(((Parsed.Valid<URI>) parsed).value());
        }
        Parsed<Set<WebhookEventKind>> events = webhookEvents(node.get("webhook_events_filter"), webhook.isPresent());
        if (events instanceof Parsed.Invalid<Set<WebhookEventKind>> bad) {
            return Parsed.invalid(bad.error());
        }

        Parsed<Optional<String>> metadata = metadata(node.get("metadata"));
        if (metadata instanceof Parsed.Invalid<Optional<String>> bad) {
            return Parsed.invalid(bad.error());
        }

        return Parsed.valid(new GenerationRequest(kind, model, prompt, n, size, duration, operation, image, mask, webhook,
                ((Parsed.Valid<Optional<String>>) metadata).value(), resolution, ((Parsed.Valid<Set<WebhookEventKind>>) events).value()));
    }

    /** {@code metadata}: a JSON object of at most {@link #MAX_METADATA_BYTES}, echoed back verbatim. */
    static Parsed<Optional<String>> metadata(JsonNode metadataNode) {
        if (metadataNode == null || metadataNode.isNull()) {
            return Parsed.valid(Optional.empty());
        }
        if (!metadataNode.isObject()) {
            return invalid("metadata", "metadata must be a JSON object");
        }
        String text = Json.write(metadataNode);
        if (text.length() > MAX_METADATA_BYTES) {
            return invalid("metadata", "metadata must be at most " + MAX_METADATA_BYTES + " bytes of JSON");
        }
        return Parsed.valid(Optional.of(text));
    }

    /** {@code webhook_events_filter}: a non-empty array of event names, for a request that has a webhook. */
    static Parsed<Set<WebhookEventKind>> webhookEvents(JsonNode node, boolean hasWebhook) {
        if (node == null || node.isNull()) {
            return Parsed.valid(WebhookEventKind.DEFAULT);
        }
        String expected = "webhook_events_filter must be a non-empty array of event names, each one of "
                + WebhookEventKind.allowed();
        if (!node.isArray() || node.isEmpty()) {
            return invalid("webhook_events_filter", expected);
        }
        Set<WebhookEventKind> kinds = new java.util.HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode element = node.get(i);
            Optional<WebhookEventKind> kind = element.isTextual() ? WebhookEventKind.fromWire(element.asText())
                    : Optional.empty();
            if (kind.isEmpty()) {
                return invalid("webhook_events_filter", expected + "; element " + i + " is not");
            }
            kinds.add(kind.get());
        }
        if (!hasWebhook) {
            return invalid("webhook_events_filter", "webhook_events_filter needs a webhook_url to send the events to");
        }
        return Parsed.valid(WebhookEventKind.filter(kinds));
    }

    /**
     * A URL the gateway will POST webhooks to, in field {@code field}: the same checks and the same
     * 400s wherever the API takes one (a job's {@code webhook_url}, a status subscription's {@code url}).
     */
    public Parsed<URI> webhookUrl(String field, JsonNode node) {
        Parsed<URI> parsed = url(field, node);
        if (parsed instanceof Parsed.Invalid<URI>) {
            return parsed;
        }
        Optional<String> problem = webhookUrls.problem(((Parsed.Valid<URI>) parsed).value());
        return problem.isPresent() ? invalid(field, field + " " + problem.get()) : parsed;
    }

    /** The body as a JSON object, or the 400 that says what is wrong with it; see {@link JsonBody}. */
    public static Parsed<JsonNode> object(byte[] body) {
        return JsonBody.object(body);
    }

    /**
     * An input image: an upload id, or a URL the gateway may fetch under the webhook rules (https to
     * public addresses in production; loopback only in the local cloud), checked now as far as it can
     * be without fetching it.
     */
    private Parsed<MediaSource> media(String field, JsonNode node) {
        if (!node.isTextual()) {
            return invalid(field, field + " must be a string: an upload id (upl_...) or an https URL");
        }
        String text = node.asText();
        if (text.startsWith(UploadId.PREFIX)) {
            return UploadId.parse(text).<Parsed<MediaSource>>map(id -> Parsed.valid(new MediaSource.Upload(id)))
                    .orElseGet(() -> invalid(field, field + " '" + clip(text) + "' is not an upload id"));
        }
        Parsed<URI> parsed = url(field, node);
        if (parsed instanceof Parsed.Invalid<URI> bad) {
            return Parsed.invalid(bad.error());
        }
        URI uri = ((Parsed.Valid<URI>) parsed).value();
        Optional<String> problem = webhookUrls.problem(uri);
        if (problem.isPresent()) {
            return invalid(field, field + " " + problem.get());
        }
        return Parsed.valid(new MediaSource.Remote(uri));
    }

    private static Parsed<URI> url(String field, JsonNode node) {
        if (!node.isTextual()) {
            return invalid(field, field + " must be a string");
        }
        String text = node.asText();
        if (text.length() > 2048) {
            return invalid(field, field + " must be at most 2048 characters");
        }
        try {
            URI uri = new URI(text);
            if (!uri.isAbsolute() || uri.getHost() == null) {
                return invalid(field, field + " must be an absolute URL with a host");
            }
            return Parsed.valid(uri);
        } catch (URISyntaxException e) {
            return invalid(field, field + " is not a valid URL");
        }
    }

    private static <T> Parsed<T> invalid(String field, String message) {
        return Parsed.invalid(ApiError.invalidField(field, message));
    }

    /** Echoed input is clipped so an error message never carries a whole hostile payload back. */
    static String clip(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
