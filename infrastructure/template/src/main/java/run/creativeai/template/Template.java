package run.creativeai.template;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * template.yaml as a document: its parameters and resources, with SAM's {@code Globals} already
 * merged into each serverless function (maps merge, lists append after the global ones, scalars of
 * the function win), as SAM does before anything else reads them. Serverless resources the local
 * runtime would not reproduce are refused.
 */
public final class Template {
    public static final String SAM_FUNCTION = "AWS::Serverless::Function";
    public static final String SAM_HTTP_API = "AWS::Serverless::HttpApi";
    /**
     * HttpApi features that decide which requests reach a function; the local gateway routes by the
     * functions' events alone and authorizes nothing, so a template using them is refused.
     */
    static final Set<String> HTTP_API_NOT_INTERPRETED = Set.of("Auth", "Domain", "DefinitionBody", "DefinitionUri");

    private final Map<String, Object> document;
    private final Map<String, Resource> resources;

    private Template(Map<String, Object> document) {
        this.document = document;
        Map<String, Object> globals = Maps.map(document.get("Globals"), "Globals");
        Map<String, Resource> byId = new LinkedHashMap<>();
        Maps.map(document.get("Resources"), "Resources").forEach((id, value) -> {
            Map<String, Object> body = Maps.map(value, "Resources." + id);
            Object type = body.get("Type");
            if (!(type instanceof String)) {
                throw new TemplateException("Resources." + id + " has no Type");
            }
            Map<String, Object> properties = Maps.map(body.get("Properties"), "Resources." + id + ".Properties");
            if (type.equals(SAM_FUNCTION)) {
                properties = merge(Maps.map(globals.get("Function"), "Globals.Function"), properties);
            } else if (type.equals(SAM_HTTP_API)) {
                properties = merge(Maps.map(globals.get("HttpApi"), "Globals.HttpApi"), properties);
                refuseUninterpreted(properties, p -> !HTTP_API_NOT_INTERPRETED.contains(p), "Resources." + id + ".Properties");
            } else if (((String) type).startsWith("AWS::Serverless::")) {
                throw new TemplateException("Resources." + id + ": " + type + " is not interpreted by this project's runtime");
            }
            byId.put(id, new Resource(id, (String) type, properties, body));
        });
        this.resources = Collections.unmodifiableMap(byId);
    }

    public static Template load(Path file) {
        return new Template(CloudFormationYaml.read(file));
    }

    public static Template parse(String yaml) {
        return new Template(CloudFormationYaml.read(yaml));
    }

    public Map<String, Resource> resources() {
        return resources;
    }

    public Optional<Resource> resource(String logicalId) {
        return Optional.ofNullable(resources.get(logicalId));
    }

    public List<Resource> resourcesOfType(String type) {
        return resources.values().stream().filter(r -> r.type().equals(type)).toList();
    }

    public Map<String, Object> parameters() {
        return Maps.map(document.get("Parameters"), "Parameters");
    }

    /** A parameter's default, as CloudFormation would use it when no override is given. */
    public Optional<String> parameterDefault(String name) {
        Object param = parameters().get(name);
        if (param == null) {
            return Optional.empty();
        }
        Object value = Maps.map(param, "Parameters." + name).get("Default");
        return value == null ? Optional.empty() : Optional.of(String.valueOf(value));
    }

    /** Refuses the first property, in name order, that the local runtime does not interpret. */
    static void refuseUninterpreted(Map<String, Object> properties, Predicate<String> interpreted, String where) {
        for (String name : new TreeSet<>(properties.keySet())) {
            if (!interpreted.test(name)) {
                throw new TemplateException(where + "." + name + ": not interpreted by this project's runtime");
            }
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> global, Map<String, Object> local) {
        Map<String, Object> merged = new LinkedHashMap<>(global);
        local.forEach((key, value) -> {
            Object base = merged.get(key);
            if (base instanceof Map && value instanceof Map && !Intrinsics.isIntrinsic(value)) {
                merged.put(key, merge((Map<String, Object>) base, (Map<String, Object>) value));
            } else if (base instanceof List && value instanceof List) {
                List<Object> joined = new ArrayList<>((List<Object>) base);
                joined.addAll((List<Object>) value);
                merged.put(key, joined);
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }

    /** One entry of {@code Resources}. */
    public record Resource(String logicalId, String type, Map<String, Object> properties, Map<String, Object> body) {
        public Optional<Object> property(String name) {
            return Optional.ofNullable(properties.get(name));
        }
    }
}
