package run.creativeai.gateway.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import run.creativeai.gateway.config.ConfigurationException;
import run.creativeai.gateway.config.JsonConfiguration;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.JobCost;
import run.creativeai.gateway.model.FailoverChain;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.model.MediaFormats;
import run.creativeai.gateway.model.Model;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.model.Operation;

/**
 * What generation costs, in whole credits, read once at init from {@code prices.json} (beside
 * {@code models.json}): per image by model, operation and size, and per second of video by model,
 * operation and resolution. Every operation a model does in the model catalogue must have a price
 * for every size or resolution a request of it can have, and nothing else may be priced; anything
 * missing, misspelt or out of range stops the function at init with a message naming the entry, so
 * no job is ever priced by a default.
 *
 * <pre>
 * { "currency": "credits",
 *   "images":        { "&lt;model id&gt;": { "&lt;operation&gt;": { "&lt;size&gt;" | "input_size": credits per image, ... } } },
 *   "video_seconds": { "&lt;model id&gt;": { "&lt;operation&gt;": { "&lt;resolution&gt;": credits per second, ... } } },
 *   "training_steps": { "&lt;model id&gt;": { "lora-training": { "hundred_steps": credits per 100 steps } } } }
 * </pre>
 *
 * A LoRA training is priced per started hundred of its steps: 1000 steps on a trainer at 20 costs 200.
 *
 * An image request that names no size and has an input image makes its output the size of that
 * input: it is priced at {@value #INPUT_SIZE}, which every operation with an input image needs.
 */
public final class PriceList {
    /** The price of an image the size of the request's input image (no size named). */
    public static final String INPUT_SIZE = "input_size";
    /** The most one image or one second may cost: a price beyond it is a typo, not a price. */
    public static final long MAX_UNIT_PRICE = 1_000_000;
    /** The unit a training is priced in: each started hundred of its steps. */
    public static final String HUNDRED_STEPS = "hundred_steps";
    private static final Set<String> ROOT_FIELDS = Set.of("currency", "images", "video_seconds", "training_steps");
    private static final Map<JobKind, String> SECTIONS = Map.of(JobKind.IMAGE, "images", JobKind.VIDEO, "video_seconds",
            JobKind.TRAINING, "training_steps");

    /** model id -> operation -> size or resolution -> credits per unit. */
    private final Map<String, Map<Operation, Map<String, Long>>> prices;

    private PriceList(Map<String, Map<Operation, Map<String, Long>>> prices) {
        this.prices = Map.copyOf(prices);
    }

    /** The bundled prices.json, checked against the model catalogue. */
    public static PriceList defaults(ModelCatalog models) {
        try (InputStream in = PriceList.class.getResourceAsStream("/prices.json")) {
            if (in == null) {
                throw new ConfigurationException("prices.json is missing from the function's classpath");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), models);
        } catch (IOException e) {
            throw new ConfigurationException("prices.json could not be read", e);
        }
    }

    /**
     * The sizes or resolutions a request of {@code operation} can be made at, each of which needs a
     * price: the sizes it may name, and {@link #INPUT_SIZE} when it may name none and has an input.
     */
    static List<String> variants(Operation operation) {
        if (operation.kind() == JobKind.VIDEO) {
            return MediaFormats.VIDEO_RESOLUTIONS;
        }
        if (operation.kind() == JobKind.TRAINING) {
            return List.of(HUNDRED_STEPS);
        }
        List<String> variants = new java.util.ArrayList<>();
        if (operation.takesSize()) {
            variants.addAll(MediaFormats.IMAGE_SIZES);
        }
        if (operation.needsImage()) {
            variants.add(INPUT_SIZE);
        }
        return List.copyOf(variants);
    }

    public static PriceList parse(String json, ModelCatalog models) {
        JsonNode root = JsonConfiguration.object(json, "prices.json");
        root.fieldNames().forEachRemaining(field -> {
            if (!ROOT_FIELDS.contains(field)) {
                throw new ConfigurationException("prices.json: unknown field " + field + "; the fields are "
                        + ROOT_FIELDS);
            }
        });
        JsonNode currency = root.get("currency");
        if (currency == null || !"credits".equals(currency.asText())) {
            throw new ConfigurationException("prices.json: currency must be \"credits\"");
        }
        Map<String, Map<Operation, Map<String, Long>>> prices = new LinkedHashMap<>();
        for (JobKind kind : JobKind.values()) {
            String section = SECTIONS.get(kind);
            JsonNode node = root.get(section);
            if (node == null || !node.isObject()) {
                throw new ConfigurationException("prices.json: " + section + " must be an object of model id to prices");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> entry = it.next();
                String where = section + "." + entry.getKey();
                Model model = models.find(entry.getKey()).orElseThrow(() -> new ConfigurationException(
                        "prices.json: " + where + ": " + entry.getKey() + " is not a model id of the model catalogue"));
                if (model.kind() != kind) {
                    throw new ConfigurationException("prices.json: " + where + ": " + model.id() + " is a "
                            + model.kind().wireName() + " model; price it under " + SECTIONS.get(model.kind()));
                }
                prices.put(model.id(), operations(where, entry.getValue(), model));
            }
        }
        for (Model model : models.all()) {
            for (Operation operation : model.supportedOperations()) {
                if (!prices.getOrDefault(model.id(), Map.of()).containsKey(operation)) {
                    throw new ConfigurationException("prices.json: " + SECTIONS.get(model.kind()) + "." + model.id()
                            + "." + operation.wireName() + " is missing: every model needs a price for every operation "
                            + "it does in the model catalogue");
                }
            }
        }
        return new PriceList(prices);
    }

    private static Map<Operation, Map<String, Long>> operations(String where, JsonNode node, Model model) {
        if (!node.isObject()) {
            throw new ConfigurationException("prices.json: " + where + " must be an object of operation to prices");
        }
        JobKind kind = model.kind();
        String variantName = switch (kind) {
            case IMAGE -> "size";
            case VIDEO -> "resolution";
            case TRAINING -> "unit";
        };
        Map<Operation, Map<String, Long>> operations = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            String at = where + "." + entry.getKey();
            Operation operation = Operation.fromWire(entry.getKey()).filter(o -> o.kind() == kind)
                    .orElseThrow(() -> new ConfigurationException("prices.json: " + at + ": " + entry.getKey()
                            + " is not a " + kind.wireName() + " operation; they are " + Operation.wireNames(kind)));
            if (!model.supports(operation)) {
                throw new ConfigurationException("prices.json: " + at + ": " + model.id() + " does not do "
                        + operation.wireName() + " in the model catalogue; it does "
                        + model.supportedOperations().stream().map(Operation::wireName).toList());
            }
            if (!entry.getValue().isObject()) {
                throw new ConfigurationException("prices.json: " + at + " must be an object of " + variantName
                        + " to credits");
            }
            List<String> variants = variants(operation);
            Map<String, Long> perVariant = new LinkedHashMap<>();
            entry.getValue().fields().forEachRemaining(price -> {
                String cell = at + "." + price.getKey();
                if (!variants.contains(price.getKey())) {
                    throw new ConfigurationException("prices.json: " + cell + ": " + price.getKey() + " is not a "
                            + variantName + " of " + operation.wireName() + "; they are " + variants);
                }
                JsonNode value = price.getValue();
                if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0
                        || value.asLong() > MAX_UNIT_PRICE) {
                    throw new ConfigurationException("prices.json: " + cell + " must be a whole number of credits from 0 to "
                            + MAX_UNIT_PRICE + ", not " + value);
                }
                perVariant.put(price.getKey(), value.asLong());
            });
            for (String variant : variants) {
                if (!perVariant.containsKey(variant)) {
                    throw new ConfigurationException("prices.json: " + at + "." + variant + " is missing: every "
                            + variantName + " of " + operation.wireName() + " needs a price");
                }
            }
            operations.put(operation, Map.copyOf(perVariant));
        }
        return Map.copyOf(operations);
    }

    /** Credits {@code request} costs if {@code link} serves it: per image times images, or per second times seconds. */
    public long price(Model link, GenerationRequest request) {
        Operation operation = request.operation();
        Map<String, Long> perVariant = Optional.ofNullable(prices.get(link.id())).map(ops -> ops.get(operation))
                .orElseThrow(() -> new IllegalStateException("no price for " + operation.wireName() + " on " + link.id()));
        if (request.kind() == JobKind.IMAGE) {
            String size = request.size().orElse(operation.needsImage() ? INPUT_SIZE : MediaFormats.DEFAULT_IMAGE_SIZE);
            return Math.multiplyExact(unit(perVariant, size, link), request.n());
        }
        if (request.kind() == JobKind.TRAINING) {
            int steps = request.training().orElseThrow().steps();
            return Math.multiplyExact(unit(perVariant, HUNDRED_STEPS, link), (steps + 99) / 100);
        }
        int seconds = request.durationSeconds().orElseThrow(
                () -> new IllegalArgumentException("a video request without a duration cannot be priced"));
        return Math.multiplyExact(unit(perVariant, request.videoResolution(), link), seconds);
    }

    /**
     * What a request costs on each link of its chain that can do its operation (the others are never
     * asked), to be reserved at admission: a job may be served by any of them, so the most of them is
     * held, and the link that serves is what it is charged.
     */
    public JobCost quote(GenerationRequest request, FailoverChain chain) {
        Map<String, Long> perLink = new LinkedHashMap<>();
        FailoverChain capable = chain.capableOf(request.operation()).orElseThrow(() -> new IllegalArgumentException(
                "no link of the chain can do " + request.operation().wireName()));
        for (Model link : capable.links()) {
            perLink.put(link.id(), price(link, request));
        }
        return new JobCost(perLink, false);
    }

    private static long unit(Map<String, Long> perVariant, String variant, Model link) {
        Long unit = perVariant.get(variant);
        if (unit == null) {
            throw new IllegalArgumentException("no price for " + variant + " on " + link.id());
        }
        return unit;
    }
}
