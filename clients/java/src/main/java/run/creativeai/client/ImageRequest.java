package run.creativeai.client;

import java.util.Map;

/** An image generation: {@code POST /v1/images/generations}. */
public record ImageRequest(Map<String, Object> fields) implements GenerationRequest {

    /** Text to image with the model's defaults. */
    public static ImageRequest of(String model, String prompt) {
        return builder(model).prompt(prompt).build();
    }

    /** @param model a model id, an alias, or {@code auto} */
    public static Builder builder(String model) {
        return new Builder(model);
    }

    @Override
    public String kind() {
        return "image";
    }

    public static final class Builder extends GenerationRequest.Builder<Builder> {
        Builder(String model) {
            super(model);
        }

        @Override
        Builder self() {
            return this;
        }

        /** How many images, 1 to the API's maximum. */
        public Builder n(int n) {
            return field("n", n);
        }

        /** e.g. {@code 1024x1024}. */
        public Builder size(String size) {
            return field("size", size);
        }

        /** For inpainting: white where to paint, the image's size. */
        public Builder mask(String uploadIdOrUrl) {
            return field("mask", uploadIdOrUrl);
        }

        public ImageRequest build() {
            return new ImageRequest(fieldsSoFar());
        }
    }
}
