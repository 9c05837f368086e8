package run.creativeai.client;

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

    /** The fields both kinds share; {@link CreateBuilder} has the webhook, metadata and any other field. */
    abstract class Builder<B extends Builder<B>> extends CreateBuilder<B> {
        Builder(String model) {
            fields.put("model", model);
        }

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
    }
}
