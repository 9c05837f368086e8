package run.creativeai.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks template.yaml the way CloudFormation would at deploy time, as far as that can be done
 * without an AWS account: the SAM resources are translated to the CloudFormation resources SAM
 * generates ({@link SamTranslation}), and every resource's properties are checked against
 * CloudFormation's published schema for its type (unknown properties, missing required ones, wrong
 * value types, nested property types included); every {@code Ref}, {@code Fn::GetAtt} and
 * {@code Fn::Sub} target must exist, and every attribute must be one its type has.
 */
public final class TemplateValidator {
    private static final Set<String> SECTIONS = Set.of("AWSTemplateFormatVersion", "Transform", "Description",
            "Metadata", "Parameters", "Rules", "Mappings", "Conditions", "Globals", "Resources", "Outputs");
    private static final Set<String> PSEUDO_PARAMETERS = Set.of("AWS::AccountId", "AWS::NotificationARNs",
            "AWS::NoValue", "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix");
    private static final Set<String> RESOURCE_ATTRIBUTES = Set.of("Type", "Properties", "DependsOn", "Condition",
            "DeletionPolicy", "UpdateReplacePolicy", "UpdatePolicy", "CreationPolicy", "Metadata");

    private final ResourceSchemas schemas;

    public TemplateValidator(ResourceSchemas schemas) {
        this.schemas = schemas;
    }

    /** Every problem found; empty when the template is valid. */
    public List<String> validate(Template template) {
        List<String> problems = new ArrayList<>();
        template.document().keySet().stream().filter(k -> !SECTIONS.contains(k))
                .forEach(k -> problems.add(k + ": not a section of a CloudFormation template"));
        template.resources().values().forEach(r -> r.body().keySet().stream()
                .filter(k -> !RESOURCE_ATTRIBUTES.contains(k))
                .forEach(k -> problems.add("Resources." + r.logicalId() + "." + k + ": not a resource attribute")));

        List<SamTranslation.Generated> generated = SamTranslation.translate(template, problems);
        Map<String, String> typeById = new HashMap<>();
        generated.forEach(g -> typeById.put(g.logicalId(), g.type()));

        for (SamTranslation.Generated resource : generated) {
            Optional<JsonNode> schema = schemas.resource(resource.type());
            if (schema.isEmpty()) {
                problems.add(resource.origin() + ": unknown resource type " + resource.type());
                continue;
            }
            String path = resource.origin() + (resource.origin().contains(".Events.") ? "" : ".Properties")
                    + (resource.type().equals(typeOf(template, resource.logicalId())) ? "" : " (as " + resource.type() + ")");
            checkObject(schema.get().path("properties"), resource.properties(), path, problems);
        }

        checkReferences(template, typeById, problems);
        return problems;
    }

    private static String typeOf(Template template, String logicalId) {
        return template.resource(logicalId).map(Template.Resource::type).orElse("");
    }

    private void checkReferences(Template template, Map<String, String> typeById, List<String> problems) {
        Set<String> parameters = template.parameters().keySet();
        List<Map.Entry<String, Object>> places = new ArrayList<>();
        template.resources().values().forEach(r -> places.add(Map.entry("Resources." + r.logicalId(), r.properties())));
        places.add(Map.entry("Outputs", template.outputs()));
        places.add(Map.entry("Globals", template.document().getOrDefault("Globals", Map.of())));
        for (Map.Entry<String, Object> place : places) {
            for (String[] reference : Intrinsics.references(place.getValue())) {
                String target = reference[0];
                if (reference.length == 1) {
                    if (!PSEUDO_PARAMETERS.contains(target) && !parameters.contains(target)
                            && !template.resources().containsKey(target)) {
                        problems.add(place.getKey() + ": Ref to " + target + ", which is neither a parameter nor a resource");
                    }
                    continue;
                }
                String type = typeById.get(target);
                if (type == null) {
                    problems.add(place.getKey() + ": Fn::GetAtt on " + target + ", which is not a resource");
                    continue;
                }
                JsonNode attributes = schemas.resource(type).map(s -> s.path("attributes")).orElse(null);
                if (attributes != null && !attributes.has(reference[1])) {
                    problems.add(place.getKey() + ": " + type + " " + target + " has no attribute " + reference[1]);
                }
            }
        }
        template.resources().values().forEach(r -> {
            Object dependsOn = r.body().get("DependsOn");
            List<Object> targets = dependsOn instanceof List<?> l ? new ArrayList<>(l)
                    : dependsOn == null ? List.of() : List.of(dependsOn);
            targets.stream().map(String::valueOf).filter(t -> !template.resources().containsKey(t))
                    .forEach(t -> problems.add("Resources." + r.logicalId() + ".DependsOn: no resource " + t));
        });
    }

    @SuppressWarnings("unchecked")
    private void checkObject(JsonNode propertySpecs, Object value, String path, List<String> problems) {
        if (Intrinsics.isIntrinsic(value)) {
            return;
        }
        if (!(value instanceof Map)) {
            problems.add(path + ": expected an object, got " + describe(value));
            return;
        }
        Map<String, Object> object = (Map<String, Object>) value;
        object.forEach((name, v) -> {
            JsonNode spec = propertySpecs.get(name);
            if (spec == null) {
                problems.add(path + "." + name + ": unknown property");
            } else {
                check(spec.path("type"), v, path + "." + name, problems);
            }
        });
        for (Iterator<Map.Entry<String, JsonNode>> it = propertySpecs.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> spec = it.next();
            if (spec.getValue().path("required").asBoolean(false) && !object.containsKey(spec.getKey())) {
                problems.add(path + "." + spec.getKey() + ": required property is missing");
            }
        }
    }

    private void check(JsonNode type, Object value, String path, List<String> problems) {
        if (value == null || Intrinsics.isIntrinsic(value)) {
            return;
        }
        switch (type.path("type").asText()) {
            case "string", "date-time" -> {
                if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                    problems.add(path + ": expected a string, got " + describe(value));
                }
            }
            case "integer" -> {
                if (!isNumber(value, true)) {
                    problems.add(path + ": expected an integer, got " + describe(value));
                }
            }
            case "number" -> {
                if (!isNumber(value, false)) {
                    problems.add(path + ": expected a number, got " + describe(value));
                }
            }
            case "boolean" -> {
                if (!(value instanceof Boolean || "true".equals(value) || "false".equals(value))) {
                    problems.add(path + ": expected a boolean, got " + describe(value));
                }
            }
            case "array" -> {
                if (value instanceof List<?> list) {
                    for (int i = 0; i < list.size(); i++) {
                        check(type.path("element"), list.get(i), path + "[" + i + "]", problems);
                    }
                } else {
                    problems.add(path + ": expected a list, got " + describe(value));
                }
            }
            case "map" -> {
                if (value instanceof Map<?, ?> map) {
                    map.forEach((k, v) -> check(type.path("element"), v, path + "." + k, problems));
                } else {
                    problems.add(path + ": expected a map, got " + describe(value));
                }
            }
            case "tag" -> checkObject(TAG, value, path, problems);
            case "ref" -> checkObject(schemas.typeDefinition(type.path("reference").path("$ref").asText()).path("properties"),
                    value, path, problems);
            case "union" -> {
                List<String> best = null;
                for (JsonNode alternative : type.path("types")) {
                    List<String> attempt = new ArrayList<>();
                    check(alternative, value, path, attempt);
                    if (attempt.isEmpty()) {
                        return;
                    }
                    if (best == null || attempt.size() < best.size()) {
                        best = attempt;
                    }
                }
                if (best != null) {
                    problems.addAll(best);
                }
            }
            default -> {
                // json and null: any value.
            }
        }
    }

    private static final JsonNode TAG = tagSpec();

    private static JsonNode tagSpec() {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var node = mapper.createObjectNode();
        node.putObject("Key").put("required", true).putObject("type").put("type", "string");
        node.putObject("Value").put("required", true).putObject("type").put("type", "string");
        return node;
    }

    private static boolean isNumber(Object value, boolean integral) {
        if (value instanceof Integer || value instanceof Long) {
            return true;
        }
        if (value instanceof Number n) {
            return !integral || n.doubleValue() == Math.rint(n.doubleValue());
        }
        if (value instanceof String s) {
            try {
                if (integral) {
                    Long.parseLong(s.trim());
                } else {
                    Double.parseDouble(s.trim());
                }
                return true;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return false;
    }

    private static String describe(Object value) {
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "a list";
        }
        return "'" + value + "'";
    }
}
