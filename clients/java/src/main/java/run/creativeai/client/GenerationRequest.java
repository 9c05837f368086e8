package run.creativeai.client;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A generation to create: an image ({@code POST /v1/images/generations}) or a video
 * ({@code POST /v1/video/generations}), alone or as a task of a batch. Its fields are the route's JSON
 * fields as the API documents them.
 */
public sealed interface GenerationRequest permits ImageRequest, VideoRequest {
    /** The request body's fields, in the API's names. */
    Map<String, Object> fields();

    /** {@code image} or {@code video}: the route, and the {@code kind} of a batch task. */
    String kind();

    /**
     * The fields both kinds share. {@link #field} sets any other, for a field this client does not
     * name yet.
     */
    abstract class Builder<B extends Builder<B>> {
        final Map<String, Object> fields = new LinkedHashMap<>();

        Builder(String model) {
            fields.put("model", model);
        }

        abstract B self();

        public B prompt(String prompt) {
            return field("prompt", prompt);
        }

        /** e.g. {@code text-to-image}, {@code upscale}, {@code image-to-video}; by default from whether an image is given. */
        public B operation(String operation) {
            return field("operation", operation);
        }

        /** An upload's id ({@link Upload#id()}) or an {@code https} URL. */
        public B image(String uploadIdOrUrl) {
            return field("image", uploadIdOrUrl);
        }

        public B image(Upload upload) {
            return image(upload.id());
        }

        public B webhookUrl(String url) {
            return field("webhook_url", url);
        }

        /** Which events the webhook hears: {@code start}, {@code completed} (the default). */
        public B webhookEvents(String... events) {
            return field("webhook_events_filter", List.of(events));
        }

        public B metadata(Map<String, ?> metadata) {
            return field("metadata", Map.copyOf(metadata));
        }

        /** Any field of the route, by its API name; a collection is sent as an array. */
        public B field(String name, Object value) {
            fields.put(name, value instanceof Collection<?> c ? List.copyOf(c) : value);
            return self();
        }

        Map<String, Object> fieldsSoFar() {
            return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }
    }
}
