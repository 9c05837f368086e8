package run.creativeai.gateway.plan;

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
import run.creativeai.gateway.limits.RateLimitRule.CountedPer;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.model.Model;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.model.Operation;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantTerms;

/**
 * Every plan the gateway sells, and the custom limits of tenants who negotiated them, read once at
 * init from {@code plans.json} (or the JSON in the {@code PLAN_CONFIG} variable, which replaces it).
 * Every limit of a plan is stated explicitly (a number, or {@code "unlimited"}); anything missing,
 * misspelt or out of range stops the function at init with a message naming the plan and field, so
 * a limit never silently falls back to a default. The two exceptions are tables that came later, so
 * a configuration written before them still starts: without {@code operation_limits}, operations are
 * limited per model only; without a kind's object ({@link WorkKind}: {@code generation},
 * {@code workflows}, {@code training}), that kind is unlimited. Given, a kind's object states every
 * field of it.
 *
 * <pre>
 * { "model_limits": { "&lt;model id&gt;": N, ... },          seed 001 defaults, units/min per key
 *   "operation_limits": { "&lt;operation&gt;": N, ... },     seed 001 defaults, units/min per key
 *   "plans": { "&lt;name&gt;": { "tier", "requests_per_minute", "requests_per_minute_per": "key"|"tenant",
 *                           "create_requests_per_minute", "reads_per_minute", "concurrent_tasks",
 *                           "daily_tasks", "video": { "requests_per_minute", "concurrent",
 *                           "per_24_hours", "per_30_minutes" },
 *                           "model_limits"?: "unlimited" | { "&lt;model id&gt;": N },
 *                           "operation_limits"?: "unlimited" | { "&lt;operation&gt;": N },
 *                           "generation"?: { "concurrent" },
 *                           "workflows"?: { "requests_per_minute", "concurrent" },
 *                           "training"?: { "requests_per_hour", "concurrent" } } },
 *   "tenants"?: { "&lt;tenant id&gt;": { any plan field but tier, each optional } } }
 * </pre>
 */
public final class PlanCatalog {
    private static final Set<String> ROOT_FIELDS = Set.of("model_limits", "operation_limits", "plans", "tenants");
    private static final Set<String> PLAN_FIELDS = Set.of("tier", "requests_per_minute", "requests_per_minute_per",
            "create_requests_per_minute", "reads_per_minute", "concurrent_tasks", "daily_tasks", "video",
            "model_limits", "operation_limits", WorkKind.GENERATION.wireName(), WorkKind.WORKFLOW.wireName(),
            WorkKind.TRAINING.wireName());
    private static final Set<String> VIDEO_FIELDS = Set.of("requests_per_minute", "concurrent", "per_24_hours",
            "per_30_minutes");
    private static final String UNLIMITED = "unlimited";

    private final Map<String, Plan> plans;
    private final Map<TenantId, Map<String, Plan>> tenantPlans;
    private final Map<String, Limit> defaultModelLimits;
    private final ModelCatalog models;

    private PlanCatalog(Map<String, Plan> plans, Map<TenantId, Map<String, Plan>> tenantPlans,
            Map<String, Limit> defaultModelLimits, ModelCatalog models) {
        this.plans = Map.copyOf(plans);
        this.tenantPlans = Map.copyOf(tenantPlans);
        this.defaultModelLimits = Map.copyOf(defaultModelLimits);
        this.models = models;
    }

    /** The bundled plans.json, checked against the bundled model catalogue. */
    public static PlanCatalog defaults() {
        return parse(bundled(), ModelCatalog.defaults());
    }

    /** The configured catalogue: {@code overrideJson} when given, else the bundled defaults. */
    public static PlanCatalog configured(Optional<String> overrideJson, ModelCatalog models) {
        return parse(overrideJson.orElseGet(PlanCatalog::bundled), models);
    }

    private static String bundled() {
        try (InputStream in = PlanCatalog.class.getResourceAsStream("/plans.json")) {
            if (in == null) {
                throw new ConfigurationException("plans.json is missing from the function's classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigurationException("plans.json could not be read", e);
        }
    }

    public static PlanCatalog parse(String json, ModelCatalog models) {
        JsonNode root = JsonConfiguration.object(json, "plan configuration");
        onlyFields("plan configuration", root, ROOT_FIELDS);
        JsonNode plansNode = root.get("plans");
        if (plansNode == null || !plansNode.isObject() || plansNode.isEmpty()) {
            throw new ConfigurationException("plan configuration needs a non-empty \"plans\" object");
        }
        Map<String, Limit> defaultModelLimits = modelTable("model_limits", root.get("model_limits"), models, true);
        // Optional, so a configuration written before operations existed still starts: without it,
        // operations are limited per model only. Given, it names every operation.
        Map<Operation, Limit> defaultOperationLimits = root.has("operation_limits")
                ? operationTable("operation_limits", root.get("operation_limits"), true) : Map.of();
        Map<String, Plan> plans = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = plansNode.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            plans.put(entry.getKey(), parsePlan(entry.getKey(), entry.getValue(), defaultModelLimits,
                    defaultOperationLimits, models));
        }
        Map<TenantId, Map<String, Plan>> overrides = new LinkedHashMap<>();
        JsonNode tenants = root.get("tenants");
        if (tenants != null) {
            if (!tenants.isObject()) {
                throw new ConfigurationException("plan configuration: tenants must be an object keyed by tenant id");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = tenants.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> entry = it.next();
                TenantId tenant;
                try {
                    tenant = new TenantId(entry.getKey());
                } catch (IllegalArgumentException e) {
                    throw new ConfigurationException("tenants: " + entry.getKey() + " is not a tenant id");
                }
                String where = "tenant " + entry.getKey();
                if (!entry.getValue().isObject()) {
                    throw new ConfigurationException(where + ": must be an object");
                }
                if (entry.getValue().has("tier")) {
                    throw new ConfigurationException(where + ": tier comes from the plan and cannot be overridden");
                }
                // Applied now to every plan, so a bad override fails at init, not at the tenant's first request.
                Map<String, Plan> custom = new LinkedHashMap<>();
                for (Plan plan : plans.values()) {
                    custom.put(plan.name(), override(where, plan, entry.getValue(), models));
                }
                overrides.put(tenant, Map.copyOf(custom));
            }
        }
        return new PlanCatalog(plans, overrides, defaultModelLimits, models);
    }

    private static Plan parsePlan(String name, JsonNode node, Map<String, Limit> defaultModelLimits,
            Map<Operation, Limit> defaultOperationLimits, ModelCatalog models) {
        String where = "plan " + name;
        if (!node.isObject()) {
            throw new ConfigurationException(where + ": must be an object");
        }
        onlyFields(where, node, PLAN_FIELDS);
        Tier tier;
        try {
            tier = Tier.fromWire(text(where, node, "tier"));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(where + ": tier must be one of enterprise, pro, free");
        }
        JsonNode video = required(where, node, "video");
        if (!video.isObject()) {
            throw new ConfigurationException(where + ": video must be an object with " + VIDEO_FIELDS);
        }
        onlyFields(where + ": video", video, VIDEO_FIELDS);
        Map<String, Limit> modelLimits = modelLimits(where, node, defaultModelLimits, models);
        PlanLimits limits = new PlanLimits(
                limit(where, node, "requests_per_minute"),
                per(where, node, "requests_per_minute_per"),
                limit(where, node, "create_requests_per_minute"),
                limit(where, node, "reads_per_minute"),
                limit(where, node, "concurrent_tasks"),
                limit(where, node, "daily_tasks"),
                new VideoLimits(
                        limit(where + ": video", video, "requests_per_minute"),
                        limit(where + ": video", video, "concurrent"),
                        limit(where + ": video", video, "per_24_hours"),
                        rolling(where + ": video", video, "per_30_minutes")),
                modelLimits,
                operationLimits(where, node, defaultOperationLimits),
                workLimits(where, node, Map.of(), true));
        rolling(where + ": video", video, "per_24_hours");
        return new Plan(name, tier, limits);
    }

    /** {@code plan} with a tenant's overrides applied; every field is optional in an override. */
    private static Plan override(String where, Plan plan, JsonNode node, ModelCatalog models) {
        onlyFields(where, node, PLAN_FIELDS);
        PlanLimits base = plan.limits();
        VideoLimits video = base.video();
        JsonNode videoNode = node.get("video");
        if (videoNode != null) {
            if (!videoNode.isObject()) {
                throw new ConfigurationException(where + ": video must be an object");
            }
            onlyFields(where + ": video", videoNode, VIDEO_FIELDS);
            String w = where + ": video";
            video = new VideoLimits(
                    optionalLimit(w, videoNode, "requests_per_minute").orElse(video.requestsPerMinute()),
                    optionalLimit(w, videoNode, "concurrent").orElse(video.concurrent()),
                    videoNode.has("per_24_hours") ? rolling(w, videoNode, "per_24_hours") : video.per24Hours(),
                    videoNode.has("per_30_minutes") ? rolling(w, videoNode, "per_30_minutes") : video.per30Minutes());
        }
        Map<String, Limit> modelLimits = modelLimits(where, node, base.modelUnitsPerMinute(), models);
        PlanLimits limits = new PlanLimits(
                optionalLimit(where, node, "requests_per_minute").orElse(base.requestsPerMinute()),
                node.has("requests_per_minute_per") ? per(where, node, "requests_per_minute_per")
                        : base.requestsPerMinutePer(),
                optionalLimit(where, node, "create_requests_per_minute").orElse(base.createRequestsPerMinute()),
                optionalLimit(where, node, "reads_per_minute").orElse(base.readsPerMinute()),
                optionalLimit(where, node, "concurrent_tasks").orElse(base.concurrentTasks()),
                optionalLimit(where, node, "daily_tasks").orElse(base.dailyTasks()),
                video,
                modelLimits,
                operationLimits(where, node, base.operationUnitsPerMinute()),
                workLimits(where, node, base.work(), false));
        return new Plan(plan.name(), plan.tier(), limits);
    }

    /**
     * {@code base} with the node's object of each kind over it; in a plan ({@code complete}) an object
     * states every field of its kind, in an override each field is optional.
     */
    private static Map<WorkKind, WorkLimits> workLimits(String where, JsonNode node, Map<WorkKind, WorkLimits> base,
            boolean complete) {
        Map<WorkKind, WorkLimits> limits = new java.util.EnumMap<>(WorkKind.class);
        limits.putAll(base);
        for (WorkKind kind : WorkKind.values()) {
            JsonNode object = node.get(kind.wireName());
            if (object == null) {
                continue;
            }
            String w = where + ": " + kind.wireName();
            Set<String> fields = new java.util.TreeSet<>();
            fields.add(WorkKind.CONCURRENT);
            kind.createsField().ifPresent(fields::add);
            if (!object.isObject()) {
                throw new ConfigurationException(w + " must be an object with " + fields);
            }
            onlyFields(w, object, fields);
            WorkLimits before = limits.getOrDefault(kind, WorkLimits.unlimited());
            Limit creates = kind.createsField()
                    .map(field -> complete || object.has(field) ? createsLimit(w, object, field, kind) : before.creates())
                    .orElse(Limit.unlimited());
            Limit concurrent = complete ? limit(w, object, WorkKind.CONCURRENT)
                    : optionalLimit(w, object, WorkKind.CONCURRENT).orElse(before.concurrent());
            limits.put(kind, new WorkLimits(creates, concurrent));
        }
        return limits;
    }

    private static Limit createsLimit(String where, JsonNode node, String field, WorkKind kind) {
        return kind.createsWindowKind() == run.creativeai.gateway.limits.RateLimitRule.Kind.ROLLING
                ? rolling(where, node, field) : limit(where, node, field);
    }

    /** {@code base} with the node's {@code model_limits} over it: a partial table, or {@code "unlimited"}. */
    private static Map<String, Limit> modelLimits(String where, JsonNode node, Map<String, Limit> base,
            ModelCatalog models) {
        Map<String, Limit> limits = new LinkedHashMap<>(base);
        JsonNode table = node.get("model_limits");
        if (table != null) {
            if (table.isTextual() && UNLIMITED.equals(table.asText())) {
                limits.clear();
            } else {
                limits.putAll(modelTable(where + ": model_limits", table, models, false));
            }
        }
        return limits;
    }

    /**
     * A table of per-model units per minute. Every id must be a model of the catalogue; the
     * top-level table must name every model, so a model added to the catalogue without a limit
     * stops start-up instead of running unlimited. An image model's limit must allow the largest
     * request ({@code n} images), or such requests could never pass.
     */
    private static Map<String, Limit> modelTable(String where, JsonNode node, ModelCatalog models, boolean complete) {
        if (node == null || !node.isObject()) {
            throw new ConfigurationException(where + " must be an object of model id to units per minute");
        }
        Map<String, Limit> table = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            Model model = models.find(entry.getKey()).orElseThrow(() -> new ConfigurationException(
                    where + ": " + entry.getKey() + " is not a model id of the model catalogue"));
            Limit limit = limitValue(where + "." + entry.getKey(), entry.getValue());
            if (model.kind() == JobKind.IMAGE && limit.max() < JobKind.MAX_IMAGES) {
                throw new ConfigurationException(where + "." + entry.getKey() + " must be at least "
                        + JobKind.MAX_IMAGES + " images per minute, the most one request may ask for");
            }
            table.put(model.id(), limit);
        }
        if (complete) {
            for (Model model : models.all()) {
                if (!table.containsKey(model.id())) {
                    throw new ConfigurationException(where + ": no limit for model " + model.id()
                            + " (give a number of " + (model.kind() == JobKind.IMAGE ? "images" : "requests")
                            + " per minute, or \"unlimited\")");
                }
            }
        }
        return table;
    }

    /** {@code base} with the node's {@code operation_limits} over it: a partial table, or {@code "unlimited"}. */
    private static Map<Operation, Limit> operationLimits(String where, JsonNode node, Map<Operation, Limit> base) {
        Map<Operation, Limit> limits = new LinkedHashMap<>(base);
        JsonNode table = node.get("operation_limits");
        if (table != null) {
            if (table.isTextual() && UNLIMITED.equals(table.asText())) {
                limits.clear();
            } else {
                limits.putAll(operationTable(where + ": operation_limits", table, false));
            }
        }
        return limits;
    }

    /**
     * A table of per-operation units per minute, like the model table: the top-level one names every
     * operation (a number, or {@code "unlimited"}), and an image operation's limit allows the largest request.
     */
    private static Map<Operation, Limit> operationTable(String where, JsonNode node, boolean complete) {
        if (node == null || !node.isObject()) {
            throw new ConfigurationException(where + " must be an object of operation to units per minute");
        }
        Map<Operation, Limit> table = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            Operation operation = Operation.fromWire(entry.getKey()).orElseThrow(() -> new ConfigurationException(
                    where + ": " + entry.getKey() + " is not an operation"));
            Limit limit = limitValue(where + "." + entry.getKey(), entry.getValue());
            if (operation.kind() == JobKind.IMAGE && limit.max() < JobKind.MAX_IMAGES) {
                throw new ConfigurationException(where + "." + entry.getKey() + " must be at least "
                        + JobKind.MAX_IMAGES + " images per minute, the most one request may ask for");
            }
            table.put(operation, limit);
        }
        if (complete) {
            for (Operation operation : Operation.values()) {
                if (!node.has(operation.wireName())) {
                    throw new ConfigurationException(where + ": no limit for operation " + operation.wireName()
                            + " (give a number of " + (operation.kind() == JobKind.IMAGE ? "images" : "requests")
                            + " per minute, or \"unlimited\")");
                }
            }
        }
        return table;
    }

    private static void onlyFields(String where, JsonNode node, Set<String> allowed) {
        node.fieldNames().forEachRemaining(field -> {
            if (!allowed.contains(field)) {
                throw new ConfigurationException(where + ": unknown field " + field);
            }
        });
    }

    private static JsonNode required(String where, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new ConfigurationException(where + ": " + field + " is required");
        }
        return value;
    }

    private static String text(String where, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new ConfigurationException(where + ": " + field + " must be a string");
        }
        return value.asText();
    }

    private static CountedPer per(String where, JsonNode node, String field) {
        return CountedPer.fromWire(text(where, node, field)).orElseThrow(() ->
                new ConfigurationException(where + ": " + field + " must be \"key\" or \"tenant\""));
    }

    private static Limit limit(String where, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new ConfigurationException(where + ": " + field + " is required (a positive integer or \"unlimited\")");
        }
        return limitValue(where + ": " + field, value);
    }

    /** A rolling window keeps a timestamp per unit, so its limit is bounded. */
    private static Limit rolling(String where, JsonNode node, String field) {
        Limit limit = limit(where, node, field);
        if (limit.isLimited() && limit.max() > run.creativeai.gateway.limits.RateLimitRule.MAX_ROLLING_LIMIT) {
            throw new ConfigurationException(where + ": " + field + " is a rolling window and allows at most "
                    + run.creativeai.gateway.limits.RateLimitRule.MAX_ROLLING_LIMIT);
        }
        return limit;
    }

    private static Optional<Limit> optionalLimit(String where, JsonNode node, String field) {
        return node.has(field) ? Optional.of(limit(where, node, field)) : Optional.empty();
    }

    private static Limit limitValue(String where, JsonNode value) {
        if (value.isTextual() && UNLIMITED.equals(value.asText())) {
            return Limit.unlimited();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 1) {
            throw new ConfigurationException(where + " must be a positive integer or \"unlimited\"");
        }
        return Limit.of(value.asLong());
    }

    /** The plan a key is on; an unknown name is a data error the caller reports. */
    public Optional<Plan> find(String name) {
        return Optional.ofNullable(plans.get(name));
    }

    /** The plan as it applies to one tenant: the plan's limits with that tenant's custom limits over them. */
    public Optional<Plan> planFor(String name, TenantId tenant) {
        Map<String, Plan> custom = tenantPlans.get(tenant);
        return custom == null ? find(name) : Optional.ofNullable(custom.get(name));
    }

    /**
     * The plan as it applies to one tenant now: the plan, the tenant's limits of the plan configuration
     * over it, and the custom limits of its terms (set at run time by the tenant administration) over
     * those. The terms were checked when they were set ({@link #checkCustomLimits}).
     */
    public Optional<Plan> planFor(String name, TenantId tenant, TenantTerms terms) {
        Optional<Plan> configured = planFor(name, tenant);
        if (!terms.hasCustomLimits()) {
            return configured;
        }
        JsonNode custom = customLimitsNode(terms.limits());
        return configured.map(plan -> override("custom limits of tenant " + tenant, plan, custom, models));
    }

    /**
     * Checks custom limits (a JSON object in the format of a plan's fields, each optional, {@code tier}
     * excepted) against every plan, as the plan configuration's tenants are checked at init.
     *
     * @throws ConfigurationException naming the field that is wrong
     */
    public void checkCustomLimits(String limitsJson) {
        JsonNode custom = customLimitsNode(limitsJson);
        if (custom.has("tier")) {
            throw new ConfigurationException("custom limits: tier comes from the plan and cannot be overridden");
        }
        for (Plan plan : plans.values()) {
            override("custom limits", plan, custom, models);
        }
    }

    private static JsonNode customLimitsNode(String limitsJson) {
        return JsonConfiguration.object(limitsJson, "custom limits");
    }

    /**
     * Where each rule a request is refused by (its id in headers, 429 bodies and the quota) is set in a
     * plan: the one mapping from what customers see to what operators configure. Model rules
     * ({@code model.<id>.images_per_minute}, {@code model.<id>.requests_per_minute}) are
     * {@code model_limits.<id>}; operation rules ({@code operation.upscale.images_per_minute}) are
     * {@code operation_limits.<operation>}; each kind's rules ({@code training_requests_per_hour},
     * {@code concurrent_trainings}) are its object's fields ({@code training.requests_per_hour}).
     */
    private static final Map<String, List<String>> RULE_FIELDS = ruleFields();

    private static Map<String, List<String>> ruleFields() {
        Map<String, List<String>> fields = new LinkedHashMap<>(Map.ofEntries(
                Map.entry("plan_requests_per_minute", List.of("requests_per_minute")),
                Map.entry("create_requests_per_minute", List.of("create_requests_per_minute")),
                Map.entry("reads_per_minute", List.of("reads_per_minute")),
                Map.entry("daily_tasks", List.of("daily_tasks")),
                Map.entry("concurrent_tasks", List.of("concurrent_tasks")),
                Map.entry("video_requests_per_minute", List.of("video", "requests_per_minute")),
                Map.entry("concurrent_video_jobs", List.of("video", "concurrent")),
                Map.entry("videos_per_30_minutes", List.of("video", "per_30_minutes")),
                Map.entry("videos_per_24_hours", List.of("video", "per_24_hours"))));
        for (WorkKind kind : WorkKind.values()) {
            fields.put(kind.concurrencyName(), List.of(kind.wireName(), WorkKind.CONCURRENT));
            kind.createsRule().ifPresent(rule -> fields.put(rule, List.of(kind.wireName(), kind.createsField().orElseThrow())));
        }
        return Map.copyOf(fields);
    }

    private static final java.util.regex.Pattern MODEL_RULE =
            java.util.regex.Pattern.compile("model\\.([a-z0-9._-]+)\\.(images|requests)_per_minute");
    private static final java.util.regex.Pattern OPERATION_RULE =
            java.util.regex.Pattern.compile("operation\\.([a-z-]+)\\.(images|requests)_per_minute");

    /**
     * The plan field a rule is set by: a rule id as customers see it ({@code plan_requests_per_minute},
     * {@code model.flux.images_per_minute}, {@code concurrent_video_jobs}) or a field path of the plan
     * format ({@code requests_per_minute}, {@code video.concurrent}, {@code model_limits.flux}).
     * Empty for anything a plan does not set.
     */
    public Optional<List<String>> ruleField(String rule) {
        if (RULE_FIELDS.containsKey(rule)) {
            return Optional.of(RULE_FIELDS.get(rule));
        }
        java.util.regex.Matcher model = MODEL_RULE.matcher(rule);
        if (model.matches()) {
            return models.find(model.group(1))
                    .filter(m -> (m.kind() == JobKind.IMAGE) == model.group(2).equals("images"))
                    .map(m -> List.of("model_limits", m.id()));
        }
        java.util.regex.Matcher operation = OPERATION_RULE.matcher(rule);
        if (operation.matches()) {
            return Operation.fromWire(operation.group(1))
                    .filter(o -> (o.kind() == JobKind.IMAGE) == operation.group(2).equals("images"))
                    .map(o -> List.of("operation_limits", o.wireName()));
        }
        List<String> path = List.of(rule.split("\\.", -1));
        boolean limitField = path.size() == 1 && PLAN_FIELDS.contains(rule) && !rule.equals("tier")
                && !rule.equals("video") && !rule.equals("model_limits") && !rule.equals("operation_limits")
                && !rule.equals("requests_per_minute_per") && WorkKind.fromWire(rule).isEmpty();
        boolean videoField = path.size() == 2 && path.get(0).equals("video") && VIDEO_FIELDS.contains(path.get(1));
        boolean workField = path.size() == 2 && WorkKind.fromWire(path.get(0))
                .filter(kind -> path.get(1).equals(WorkKind.CONCURRENT)
                        || kind.createsField().filter(path.get(1)::equals).isPresent())
                .isPresent();
        boolean modelField = path.size() == 2 && path.get(0).equals("model_limits") && models.find(path.get(1)).isPresent();
        boolean operationField = path.size() == 2 && path.get(0).equals("operation_limits")
                && Operation.fromWire(path.get(1)).filter(o -> o.wireName().equals(path.get(1))).isPresent();
        return limitField || videoField || workField || modelField || operationField ? Optional.of(path)
                : Optional.empty();
    }

    /** Every rule id {@link #ruleField} knows, for the message that lists them. */
    public List<String> ruleNames() {
        List<String> names = new java.util.ArrayList<>(new java.util.TreeSet<>(RULE_FIELDS.keySet()));
        for (Model model : models.all()) {
            names.add("model." + model.id() + (model.kind() == JobKind.IMAGE ? ".images_per_minute" : ".requests_per_minute"));
        }
        for (Operation operation : Operation.values()) {
            names.add("operation." + operation.wireName()
                    + (operation.kind() == JobKind.IMAGE ? ".images_per_minute" : ".requests_per_minute"));
        }
        return names;
    }

    public Set<String> names() {
        return plans.keySet();
    }

    /** The seed 001 defaults every plan starts from. */
    public Map<String, Limit> defaultModelLimits() {
        return defaultModelLimits;
    }
}
