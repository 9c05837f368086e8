package run.creativeai.gateway.config;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The environment a function instance was started with: the variables template.yaml declares plus
 * those Lambda itself sets. On Lambda it is the process environment; the local runtime hands each
 * function its own map, so that several functions with different environments share one JVM.
 */
public final class FunctionEnvironment {
    private final Map<String, String> variables;

    private FunctionEnvironment(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    public static FunctionEnvironment of(Map<String, String> variables) {
        return new FunctionEnvironment(variables);
    }

    /** This environment with {@code changes} made: a variable set, or unset by an empty value. */
    public FunctionEnvironment with(Map<String, String> changes) {
        Map<String, String> changed = new java.util.HashMap<>(variables);
        changes.forEach((name, value) -> {
            if (value.isEmpty()) {
                changed.remove(name);
            } else {
                changed.put(name, value);
            }
        });
        return new FunctionEnvironment(changed);
    }

    public static FunctionEnvironment system() {
        return new FunctionEnvironment(System.getenv());
    }

    /** A variable the template must declare; its absence is a deployment error, reported at init. */
    public String required(String name) {
        String value = variables.get(name);
        if (value == null || value.isBlank()) {
            throw new ConfigurationException("environment variable " + name + " is not set");
        }
        return value;
    }

    public Optional<String> optional(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    public boolean flag(String name) {
        return optional(name).map(v -> v.equalsIgnoreCase("true")).orElse(false);
    }

    public int integer(String name, int defaultValue) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.get().trim());
        } catch (NumberFormatException e) {
            throw new ConfigurationException("environment variable " + name + " is not an integer: " + value.get());
        }
    }

    /** Names only: values can be secrets and never reach a log. */
    @Override
    public String toString() {
        return "FunctionEnvironment" + new TreeMap<>(variables).keySet();
    }
}
