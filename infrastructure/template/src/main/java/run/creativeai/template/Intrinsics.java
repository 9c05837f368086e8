package run.creativeai.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates CloudFormation intrinsic functions in a value against a {@link Scope} that knows what
 * each parameter, pseudo parameter and resource resolves to: {@code Ref}, {@code Fn::GetAtt},
 * {@code Fn::Sub}, {@code Fn::Join}, {@code Fn::Select}, {@code Fn::Split} and {@code Fn::Base64}.
 */
public final class Intrinsics {
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{(!?)([^}]+)}");

    /** What names resolve to in one deployment. */
    public interface Scope {
        /** A parameter, pseudo parameter ({@code AWS::Region}) or resource's Ref value. */
        Object ref(String name);

        Object getAtt(String logicalId, String attribute);
    }

    private Intrinsics() {
    }

    public static boolean isIntrinsic(Object value) {
        if (!(value instanceof Map<?, ?> map) || map.size() != 1) {
            return false;
        }
        Object key = map.keySet().iterator().next();
        return key instanceof String k && (k.equals("Ref") || k.startsWith("Fn::") || k.equals("Condition"));
    }

    /** Every logical id or parameter a value refers to through Ref, GetAtt or Sub; for the template's own rules. */
    public static List<String[]> references(Object value) {
        List<String[]> found = new ArrayList<>();
        collect(value, found);
        return found;
    }

    @SuppressWarnings("unchecked")
    private static void collect(Object value, List<String[]> found) {
        if (value instanceof Map<?, ?> map) {
            if (isIntrinsic(value)) {
                String function = (String) map.keySet().iterator().next();
                Object argument = map.get(function);
                switch (function) {
                    case "Ref" -> found.add(new String[] {String.valueOf(argument)});
                    case "Fn::GetAtt" -> {
                        List<Object> parts = getAttParts(argument);
                        found.add(new String[] {String.valueOf(parts.get(0)), String.valueOf(parts.get(1))});
                    }
                    case "Fn::Sub" -> {
                        String text = argument instanceof List<?> l ? String.valueOf(l.get(0)) : String.valueOf(argument);
                        Map<String, Object> vars = argument instanceof List<?> l && l.size() > 1
                                ? (Map<String, Object>) l.get(1) : Map.of();
                        Matcher m = SUB_VARIABLE.matcher(text);
                        while (m.find()) {
                            if (m.group(1).isEmpty() && !vars.containsKey(m.group(2))) {
                                found.add(m.group(2).split("\\.", 2));
                            }
                        }
                        vars.values().forEach(v -> collect(v, found));
                    }
                    default -> collect(argument, found);
                }
                return;
            }
            map.values().forEach(v -> collect(v, found));
        } else if (value instanceof List<?> list) {
            list.forEach(v -> collect(v, found));
        }
    }

    @SuppressWarnings("unchecked")
    public static Object resolve(Object value, Scope scope) {
        if (value instanceof Map<?, ?> map) {
            if (isIntrinsic(value)) {
                String function = (String) map.keySet().iterator().next();
                return call(function, map.get(function), scope);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((k, v) -> out.put(k, resolve(v, scope)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(resolve(v, scope)));
            return out;
        }
        return value;
    }

    /** Resolves a value that must come out as text (an environment variable, a name). */
    public static String resolveString(Object value, Scope scope) {
        Object resolved = resolve(value, scope);
        if (resolved instanceof Map || resolved instanceof List) {
            throw new TemplateException("expected a string, got " + resolved);
        }
        return resolved == null ? "" : scalar(resolved);
    }

    @SuppressWarnings("unchecked")
    private static Object call(String function, Object argument, Scope scope) {
        switch (function) {
            case "Ref":
                return scope.ref(String.valueOf(argument));
            case "Fn::GetAtt": {
                List<Object> parts = getAttParts(argument);
                return scope.getAtt(String.valueOf(parts.get(0)), resolveString(parts.get(1), scope));
            }
            case "Fn::Sub": {
                String text;
                Map<String, Object> vars = Map.of();
                if (argument instanceof List<?> list) {
                    text = String.valueOf(list.get(0));
                    vars = list.size() > 1 ? (Map<String, Object>) list.get(1) : Map.of();
                } else {
                    text = String.valueOf(argument);
                }
                Map<String, Object> variables = vars;
                Matcher m = SUB_VARIABLE.matcher(text);
                StringBuilder out = new StringBuilder();
                while (m.find()) {
                    String replacement;
                    if (!m.group(1).isEmpty()) {
                        replacement = "${" + m.group(2) + "}";
                    } else if (variables.containsKey(m.group(2))) {
                        replacement = resolveString(variables.get(m.group(2)), scope);
                    } else if (m.group(2).contains(".")) {
                        String[] parts = m.group(2).split("\\.", 2);
                        replacement = scalar(scope.getAtt(parts[0], parts[1]));
                    } else {
                        replacement = scalar(scope.ref(m.group(2)));
                    }
                    m.appendReplacement(out, Matcher.quoteReplacement(replacement));
                }
                m.appendTail(out);
                return out.toString();
            }
            case "Fn::Join": {
                List<Object> args = Maps.list(argument, "Fn::Join");
                String delimiter = String.valueOf(args.get(0));
                List<String> parts = new ArrayList<>();
                Object items = resolve(args.get(1), scope);
                Maps.list(items, "Fn::Join items").forEach(p -> parts.add(scalar(p)));
                return String.join(delimiter, parts);
            }
            case "Fn::Select": {
                List<Object> args = Maps.list(argument, "Fn::Select");
                int index = Integer.parseInt(resolveString(args.get(0), scope));
                return Maps.list(resolve(args.get(1), scope), "Fn::Select list").get(index);
            }
            case "Fn::Split": {
                List<Object> args = Maps.list(argument, "Fn::Split");
                return List.of(resolveString(args.get(1), scope).split(Pattern.quote(String.valueOf(args.get(0))), -1));
            }
            case "Fn::Base64":
                return java.util.Base64.getEncoder().encodeToString(
                        resolveString(argument, scope).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            default:
                throw new TemplateException(function + " is not evaluated by this project's template reader");
        }
    }

    private static List<Object> getAttParts(Object argument) {
        if (argument instanceof String s) {
            return List.of((Object[]) s.split("\\.", 2));
        }
        List<Object> parts = Maps.list(argument, "Fn::GetAtt");
        if (parts.size() != 2) {
            throw new TemplateException("Fn::GetAtt takes [resource, attribute]");
        }
        return parts;
    }

    private static String scalar(Object value) {
        if (value instanceof Double d && d == Math.rint(d)) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(value);
    }
}
