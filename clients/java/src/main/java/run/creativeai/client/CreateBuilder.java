package run.creativeai.client;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every create's body builder shares: its fields in the API's names, the webhook that hears it and
 * its events, its metadata, and {@link #field} for a field this client does not name yet.
 */
public abstract class CreateBuilder<B extends CreateBuilder<B>> {
    final Map<String, Object> fields = new LinkedHashMap<>();

    CreateBuilder() {
    }

    abstract B self();

    public B webhookUrl(String url) {
        return field("webhook_url", url);
    }

    /** Which events the webhook hears, e.g. {@code start}, {@code completed} (the default). */
    public B webhookEvents(String... events) {
        return field("webhook_events_filter", List.of(events));
    }

    /** Up to 4096 bytes of JSON, returned as given. */
    public B metadata(Map<String, ?> metadata) {
        return field("metadata", Map.copyOf(metadata));
    }

    /** Any field of the route, by its API name; a collection is sent as an array. */
    public B field(String name, Object value) {
        fields.put(name, value instanceof Collection<?> c ? List.copyOf(c) : value);
        return self();
    }

    Map<String, Object> fieldsSoFar() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
}
