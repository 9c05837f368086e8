package run.creativeai.gateway.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import run.creativeai.gateway.config.ConfigurationException;
import run.creativeai.gateway.json.Json;

/**
 * Every plan the gateway sells, read once at init from {@code plans.json} (or the JSON in the
 * {@code PLAN_CONFIG} variable, which replaces it). Anything malformed stops the function at
 * init with a message naming the plan and field: a limit never silently falls back to a default.
 */
public final class PlanCatalog {
    private static final Set<String> PLAN_FIELDS = Set.of("tier", "requests_per_minute");

    private final Map<String, Plan> plans;

    private PlanCatalog(Map<String, Plan> plans) {
        this.plans = Map.copyOf(plans);
    }

    public static PlanCatalog defaults() {
        try (InputStream in = PlanCatalog.class.getResourceAsStream("/plans.json")) {
            if (in == null) {
                throw new ConfigurationException("plans.json is missing from the function's classpath");
            }
            return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigurationException("plans.json could not be read", e);
        }
    }

    /** The configured catalogue: {@code overrideJson} when given, else the bundled defaults. */
    public static PlanCatalog configured(Optional<String> overrideJson) {
        return overrideJson.map(PlanCatalog::parse).orElseGet(PlanCatalog::defaults);
    }

    public static PlanCatalog parse(String json) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigurationException("plan configuration is not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode plansNode = root == null ? null : root.get("plans");
        if (plansNode == null || !plansNode.isObject() || plansNode.isEmpty()) {
            throw new ConfigurationException("plan configuration needs a non-empty \"plans\" object");
        }
        Map<String, Plan> plans = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = plansNode.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            plans.put(entry.getKey(), parsePlan(entry.getKey(), entry.getValue()));
        }
        return new PlanCatalog(plans);
    }

    private static Plan parsePlan(String name, JsonNode node) {
        if (!node.isObject()) {
            throw new ConfigurationException("plan " + name + ": must be an object");
        }
        node.fieldNames().forEachRemaining(field -> {
            if (!PLAN_FIELDS.contains(field)) {
                throw new ConfigurationException("plan " + name + ": unknown field " + field);
            }
        });
        Tier tier;
        try {
            tier = Tier.fromWire(text(name, node, "tier"));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("plan " + name + ": tier must be one of enterprise, pro, free");
        }
        return new Plan(name, tier, new PlanLimits(positive(name, node, "requests_per_minute")));
    }

    private static String text(String plan, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new ConfigurationException("plan " + plan + ": " + field + " must be a string");
        }
        return value.asText();
    }

    private static int positive(String plan, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1) {
            throw new ConfigurationException("plan " + plan + ": " + field + " must be a positive integer");
        }
        return value.asInt();
    }

    /** The plan a key is on; an unknown name is a data error the caller reports. */
    public Optional<Plan> find(String name) {
        return Optional.ofNullable(plans.get(name));
    }

    public Set<String> names() {
        return plans.keySet();
    }
}
