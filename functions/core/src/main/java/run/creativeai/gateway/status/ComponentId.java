package run.creativeai.gateway.status;

import java.util.regex.Pattern;

/** A component of the status page: {@code api}, {@code webhooks}, {@code queues}, or a model's id. */
public record ComponentId(String value) implements Comparable<ComponentId> {
    // Before the constants, which are checked against it.
    private static final Pattern FORMAT = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    public static final ComponentId API = new ComponentId("api");
    public static final ComponentId WEBHOOKS = new ComponentId("webhooks");
    public static final ComponentId QUEUES = new ComponentId("queues");

    public ComponentId {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("not a component id: " + value);
        }
    }

    @Override
    public int compareTo(ComponentId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
