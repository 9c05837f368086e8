package run.creativeai.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.TrainingInput;
import run.creativeai.gateway.job.WebhookEventKind;
import run.creativeai.gateway.media.UploadId;
import run.creativeai.gateway.model.Model;
import run.creativeai.gateway.model.ModelCatalog;

/**
 * Reads and checks the body of {@code POST /v1/trainings}: a LoRA training of a base model on the
 * tenant's uploaded images. Every refusal is a 400 whose message and {@code param} name the field;
 * unknown fields are refused too. The images' bytes are checked later, before admission
 * ({@link run.creativeai.gateway.uploads.TrainingImages}).
 */
public final class TrainingRequestParser {
    /** A trigger word: one token prompts can name, letters, digits, {@code _} and {@code -}, up to 40. */
    public static final Pattern TRIGGER_WORD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,39}");
    private static final Set<String> FIELDS = Set.of("base_model", "images", "trigger_word", "steps", "webhook_url",
            "webhook_events_filter", "metadata");

    private final ModelCatalog models;
    private final GenerationRequestParser generations;

    /** @param generations whose checks of webhooks and metadata a training shares */
    public TrainingRequestParser(ModelCatalog models, GenerationRequestParser generations) {
        this.models = models;
        this.generations = generations;
    }

    public Parsed<GenerationRequest> parse(byte[] body) {
        Parsed<JsonNode> json = JsonBody.object(body);
        if (json instanceof Parsed.Invalid<JsonNode> invalid) {
            return Parsed.invalid(invalid.error());
        }
        return parse(((Parsed.Valid<JsonNode>) json).value());
    }

    public Parsed<GenerationRequest> parse(JsonNode node) {
        if (!node.isObject()) {
            return Parsed.invalid(ApiError.invalidRequest("invalid_body", "request body must be a JSON object"));
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                String clipped = GenerationRequestParser.clip(field);
                return invalid(clipped, "unknown field '" + clipped + "' for a training; allowed fields are "
                        + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            Optional<String> text = RequestText.problem(field.getKey(), field.getValue());
            if (text.isPresent()) {
                return invalid(field.getKey(), text.get());
            }
        }

        JsonNode baseNode = node.get("base_model");
        String trainable = String.join(", ", models.trainableModels());
        if (baseNode == null || baseNode.isNull()) {
            return invalid("base_model", "base_model is required; models that can be trained: " + trainable);
        }
        String base = baseNode.isTextual() ? baseNode.asText().trim().toLowerCase(java.util.Locale.ROOT) : "";
        Optional<Model> trainer = models.trainerFor(base);
        if (trainer.isEmpty()) {
            return invalid("base_model", "base_model '" + GenerationRequestParser.clip(baseNode.asText())
                    + "' cannot be trained; models that can be trained: " + trainable);
        }

        JsonNode imagesNode = node.get("images");
        String imagesRule = "images must be an array of " + TrainingInput.MIN_IMAGES + " to " + TrainingInput.MAX_IMAGES
                + " upload ids (upl_...) of PNG, JPEG or WebP images";
        if (imagesNode == null || !imagesNode.isArray()) {
            return invalid("images", imagesRule);
        }
        if (imagesNode.size() < TrainingInput.MIN_IMAGES || imagesNode.size() > TrainingInput.MAX_IMAGES) {
            return invalid("images", imagesRule + "; got " + imagesNode.size());
        }
        List<UploadId> images = new ArrayList<>();
        for (int i = 0; i < imagesNode.size(); i++) {
            JsonNode image = imagesNode.get(i);
            Optional<UploadId> id = image.isTextual() ? UploadId.parse(image.asText()) : Optional.empty();
            if (id.isEmpty()) {
                return invalid("images[" + i + "]", "images[" + i + "] is not an upload id (upl_...): upload the image"
                        + " with POST /v1/uploads first");
            }
            if (images.contains(id.get())) {
                return invalid("images[" + i + "]", "images[" + i + "] names " + id.get() + " a second time");
            }
            images.add(id.get());
        }

        JsonNode wordNode = node.get("trigger_word");
        if (wordNode == null || !wordNode.isTextual() || !TRIGGER_WORD.matcher(wordNode.asText()).matches()) {
            return invalid("trigger_word", "trigger_word is required: one word of 1 to 40 letters, digits, _ or -,"
                    + " starting with a letter or digit, that prompts name to call up what the images show");
        }

        int steps = TrainingInput.DEFAULT_STEPS;
        JsonNode stepsNode = node.get("steps");
        if (stepsNode != null && !stepsNode.isNull()) {
            if (!stepsNode.isIntegralNumber() || !stepsNode.canConvertToInt() || stepsNode.asInt() < TrainingInput.MIN_STEPS
                    || stepsNode.asInt() > TrainingInput.MAX_STEPS) {
                return invalid("steps", "steps must be an integer from " + TrainingInput.MIN_STEPS + " to "
                        + TrainingInput.MAX_STEPS + " (default " + TrainingInput.DEFAULT_STEPS + ")");
            }
            steps = stepsNode.asInt();
        }

        Optional<URI> webhook = Optional.empty();
        JsonNode webhookNode = node.get("webhook_url");
        if (webhookNode != null && !webhookNode.isNull()) {
            Parsed<URI> parsed = generations.webhookUrl("webhook_url", webhookNode);
            if (parsed instanceof Parsed.Invalid<URI> bad) {
                return Parsed.invalid(bad.error());
            }
            webhook = Optional.of(((Parsed.Valid<URI>) parsed).value());
        }
        Parsed<Set<WebhookEventKind>> events = GenerationRequestParser.webhookEvents(node.get("webhook_events_filter"),
                webhook.isPresent());
        if (events instanceof Parsed.Invalid<Set<WebhookEventKind>> bad) {
            return Parsed.invalid(bad.error());
        }
        Parsed<Optional<String>> metadata = GenerationRequestParser.metadata(node.get("metadata"));
        if (metadata instanceof Parsed.Invalid<Optional<String>> bad) {
            return Parsed.invalid(bad.error());
        }
        TrainingInput training = new TrainingInput(base, images, wordNode.asText(), steps, Optional.empty());
        return Parsed.valid(GenerationRequest.training(trainer.get().id(), training, webhook,
                ((Parsed.Valid<Optional<String>>) metadata).value(), ((Parsed.Valid<Set<WebhookEventKind>>) events).value()));
    }

    private static <T> Parsed<T> invalid(String field, String message) {
        return Parsed.invalid(ApiError.invalidField(field, message));
    }
}
