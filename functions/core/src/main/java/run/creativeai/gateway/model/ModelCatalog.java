package run.creativeai.gateway.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.config.ConfigurationException;
import run.creativeai.gateway.json.Json;

/**
 * The models customers can ask for, the providers behind them and their failover chains, read once
 * from {@code models.json}. {@code auto} resolves to the first model of the kind's preference order.
 */
public final class ModelCatalog {
    public static final String AUTO = "auto";

    private final Map<String, Model> models;
    private final Map<String, Model> byName;
    private final Map<String, ProviderProtocol> providers;
    private final Map<String, Integer> capacities;
    private final Map<JobKind, List<String>> autoOrder;
    /** Image model id -> the provider's model that runs it with LoRA weights, for the links that can. */
    private final Map<String, String> loraModels;
    /** Image model id -> the training model whose chain trains LoRAs for it. */
    private final Map<String, String> trainers;

    private ModelCatalog(Map<String, Model> models, Map<String, ProviderProtocol> providers,
            Map<String, Integer> capacities, Map<JobKind, List<String>> autoOrder, Map<String, String> loraModels,
            Map<String, String> trainers) {
        this.loraModels = Map.copyOf(loraModels);
        this.trainers = Map.copyOf(trainers);
        this.models = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(models));
        this.providers = Map.copyOf(providers);
        this.capacities = Map.copyOf(capacities);
        this.autoOrder = Map.copyOf(autoOrder);
        Map<String, Model> names = new LinkedHashMap<>();
        for (Model model : models.values()) {
            names.put(model.id(), model);
            for (String alias : model.aliases()) {
                if (names.put(alias, model) != null) {
                    throw new ConfigurationException("model name " + alias + " is used twice");
                }
            }
        }
        this.byName = Map.copyOf(names);
        validate();
    }

    public static ModelCatalog defaults() {
        try (InputStream in = ModelCatalog.class.getResourceAsStream("/models.json")) {
            if (in == null) {
                throw new ConfigurationException("models.json is missing from the function's classpath");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigurationException("models.json could not be read", e);
        }
    }

    public static ModelCatalog parse(String json) {
        JsonNode root;
        try {
            root = Json.tree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigurationException("model configuration is not valid JSON: " + e.getOriginalMessage());
        }
        Map<String, ProviderProtocol> providers = new LinkedHashMap<>();
        Map<String, Integer> capacities = new LinkedHashMap<>();
        root.path("providers").fields().forEachRemaining(e -> {
            providers.put(e.getKey(),
                    ProviderProtocol.valueOf(e.getValue().path("protocol").asText().toUpperCase(Locale.ROOT)));
            JsonNode capacity = e.getValue().path("capacity");
            if (!capacity.isIntegralNumber() || !capacity.canConvertToInt() || capacity.asInt() < 1) {
                throw new ConfigurationException("provider " + e.getKey()
                        + ": capacity (jobs the gateway runs on it at once) must be a positive integer");
            }
            capacities.put(e.getKey(), capacity.asInt());
        });
        Map<String, Model> models = new LinkedHashMap<>();
        Map<String, String> loraModels = new LinkedHashMap<>();
        for (JsonNode node : root.path("models")) {
            if (node.has("lora")) {
                if (!node.path("lora").isTextual() || node.path("lora").asText().isBlank()) {
                    throw new ConfigurationException("model " + node.path("id").asText()
                            + ": lora must be the provider's model id that runs it with LoRA weights");
                }
                loraModels.put(node.path("id").asText(), node.path("lora").asText());
            }
            String id = node.path("id").asText();
            JobKind kind = JobKind.fromWire(node.path("kind").asText());
            Model model;
            try {
                model = new Model(id, kind, strings(node.path("aliases")), node.path("provider").asText(),
                        operations(id, node.path("operations")), strings(node.path("failover")));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(e.getMessage());
            }
            if (models.put(model.id(), model) != null) {
                throw new ConfigurationException("model " + model.id() + " is defined twice");
            }
        }
        Map<JobKind, List<String>> auto = new LinkedHashMap<>();
        root.path("auto").fields().forEachRemaining(e -> auto.put(JobKind.fromWire(e.getKey()), strings(e.getValue())));
        Map<String, String> trainers = new LinkedHashMap<>();
        root.path("training").fields().forEachRemaining(e -> trainers.put(e.getKey(), e.getValue().asText()));
        return new ModelCatalog(models, providers, capacities, auto, loraModels, trainers);
    }

    /** {@code {"<operation>": "<provider model>"}}: what the model can do, and where its provider does it. */
    private static Map<Operation, String> operations(String model, JsonNode node) {
        if (!node.isObject() || node.isEmpty()) {
            throw new ConfigurationException("model " + model
                    + ": operations must be an object of operation to the provider's model id");
        }
        Map<Operation, String> operations = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            Operation operation = Operation.fromWire(e.getKey()).orElseThrow(() -> new ConfigurationException(
                    "model " + model + ": unknown operation " + e.getKey()));
            if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
                throw new ConfigurationException("model " + model + ": operation " + e.getKey()
                        + " needs the provider's model id");
            }
            operations.put(operation, e.getValue().asText());
        });
        return operations;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private void validate() {
        for (Model model : models.values()) {
            if (!providers.containsKey(model.provider())) {
                throw new ConfigurationException("model " + model.id() + ": unknown provider " + model.provider());
            }
            for (String next : model.failover()) {
                Model link = models.get(next);
                if (link == null || link.kind() != model.kind()) {
                    throw new ConfigurationException(
                            "model " + model.id() + ": failover " + next + " is not a " + model.kind().wireName() + " model");
                }
            }
        }
        loraModels.keySet().forEach(id -> {
            if (!models.containsKey(id) || models.get(id).kind() != JobKind.IMAGE) {
                throw new ConfigurationException("model " + id + ": only image models run with LoRA weights");
            }
        });
        trainers.forEach((base, trainer) -> {
            if (!models.containsKey(base) || models.get(base).kind() != JobKind.IMAGE) {
                throw new ConfigurationException("training: " + base + " is not an image model");
            }
            if (!models.containsKey(trainer) || models.get(trainer).kind() != JobKind.TRAINING) {
                throw new ConfigurationException("training: " + base + "'s trainer " + trainer + " is not a training model");
            }
            if (!loraModels.containsKey(base)) {
                throw new ConfigurationException("training: " + base + " trains LoRAs but no link of it runs them (lora)");
            }
        });
        for (JobKind kind : JobKind.values()) {
            List<String> order = autoOrder.get(kind);
            if (order == null || order.isEmpty() || !order.stream().allMatch(models::containsKey)) {
                throw new ConfigurationException("auto order for " + kind.wireName() + " must list known models");
            }
        }
    }

    /** The model a request names, {@code auto} included; empty when the name is unknown for that kind. */
    public Optional<Model> resolve(String requested, JobKind kind) {
        return resolve(requested, kind, Optional.empty());
    }

    /**
     * The model a request for {@code operation} names: {@code auto} is the first of the kind's
     * preference order that can do it; a named model of the right kind is found whether or not it
     * can (the caller says which operations it can do). Empty when the name is unknown for the kind.
     */
    public Optional<Model> resolve(String requested, Operation operation) {
        return resolve(requested, operation.kind(), Optional.of(operation));
    }

    private Optional<Model> resolve(String requested, JobKind kind, Optional<Operation> operation) {
        String name = requested.toLowerCase(Locale.ROOT);
        Model model = AUTO.equals(name)
                ? autoOrder.get(kind).stream().map(models::get)
                        .filter(m -> operation.map(m::supports).orElse(true)).findFirst().orElse(null)
                : byName.get(name);
        return Optional.ofNullable(model).filter(m -> m.kind() == kind);
    }

    public Optional<Model> find(String id) {
        return Optional.ofNullable(models.get(id));
    }

    public FailoverChain chainFor(Model model) {
        List<Model> links = new ArrayList<>();
        links.add(model);
        model.failover().forEach(id -> links.add(models.get(id)));
        return new FailoverChain(links);
    }

    /**
     * The chain a job walks: the model's failover chain, and for a generation with a tenant's trained
     * weights only the links that can run LoRA weights (a link without them would ignore the weights).
     */
    public FailoverChain chainFor(Model model, boolean withTrainedWeights) {
        FailoverChain chain = chainFor(model);
        if (!withTrainedWeights) {
            return chain;
        }
        List<Model> links = chain.links().stream().filter(m -> loraModels.containsKey(m.id())).toList();
        if (links.isEmpty()) {
            throw new IllegalArgumentException("no link of " + model.id() + " runs LoRA weights");
        }
        return new FailoverChain(links);
    }

    /**
     * The provider's model a job's attempt on {@code link} is sent to, asked about and cancelled at:
     * the one that does the operation, or the link's LoRA runner for a generation with trained weights.
     */
    public String providerModel(Model link, Operation operation, boolean withTrainedWeights) {
        return withTrainedWeights ? loraModel(link).orElseThrow(() -> new IllegalArgumentException(
                "model " + link.id() + " cannot run LoRA weights")) : link.providerModel(operation);
    }

    /** The provider's model that runs {@code link} with LoRA weights, for a link that can. */
    public Optional<String> loraModel(Model link) {
        return Optional.ofNullable(loraModels.get(link.id()));
    }

    /** The training model that trains LoRAs for the image model {@code baseModel}, if it can be trained. */
    public Optional<Model> trainerFor(String baseModel) {
        return Optional.ofNullable(trainers.get(baseModel.toLowerCase(Locale.ROOT))).map(models::get);
    }

    /** The image models a training may name as its base, for error messages. */
    public List<String> trainableModels() {
        return List.copyOf(trainers.keySet());
    }

    public Collection<Model> all() {
        return models.values();
    }

    public Map<String, ProviderProtocol> providers() {
        return providers;
    }

    /** How many jobs the gateway runs on each provider at once, by default (the template may override it). */
    public Map<String, Integer> capacities() {
        return capacities;
    }

    /** Ids of the models that can do an operation ({@code auto} first when any can), for error messages. */
    public List<String> namesFor(Operation operation) {
        List<String> names = new ArrayList<>();
        models.values().stream().filter(m -> m.supports(operation)).forEach(m -> names.add(m.id()));
        if (!names.isEmpty()) {
            names.add(0, AUTO);
        }
        return names;
    }

    /** Ids valid for a kind, for error messages. */
    public List<String> namesFor(JobKind kind) {
        List<String> names = new ArrayList<>();
        names.add(AUTO);
        models.values().stream().filter(m -> m.kind() == kind).forEach(m -> names.add(m.id()));
        return names;
    }
}
