package run.creativeai.gateway.job;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The events of a job a webhook can subscribe to, by the names {@code webhook_events_filter} takes
 * (Replicate's): {@code start} when a provider has accepted the job, {@code completed} when it
 * has ended, however it ended.
 */
public enum WebhookEventKind {
    START,
    COMPLETED;

    /** What a webhook hears when a request names no filter. */
    public static final Set<WebhookEventKind> DEFAULT = Set.of(COMPLETED);

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<WebhookEventKind> fromWire(String value) {
        return Arrays.stream(values()).filter(k -> k.wireName().equals(value)).findFirst();
    }

    /** The names, for messages that list what is allowed. */
    public static String allowed() {
        return String.join(", ", Arrays.stream(values()).map(k -> "\"" + k.wireName() + "\"").toList());
    }

    /** A filter in the kinds' own order, so that equal filters are equal values. */
    public static Set<WebhookEventKind> filter(Set<WebhookEventKind> kinds) {
        return kinds.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(EnumSet.copyOf(kinds));
    }
}
