package run.creativeai.client;

import java.util.Map;

/** A video generation: {@code POST /v1/video/generations}. */
public record VideoRequest(Map<String, Object> fields) implements GenerationRequest {

    /** Text to video of {@code durationSeconds}. */
    public static VideoRequest of(String model, String prompt, int durationSeconds) {
        return builder(model).prompt(prompt).duration(durationSeconds).build();
    }

    public static Builder builder(String model) {
        return new Builder(model);
    }

    @Override
    public String kind() {
        return "video";
    }

    public static final class Builder extends GenerationRequest.Builder<Builder> {
        Builder(String model) {
            super(model);
        }

        @Override
        Builder self() {
            return this;
        }

        /** The clip's length in seconds, one of the durations the API lists. */
        public Builder duration(int seconds) {
            return field("duration", seconds);
        }

        /** {@code 720p} (the default) or {@code 1080p}. */
        public Builder resolution(String resolution) {
            return field("resolution", resolution);
        }

        public VideoRequest build() {
            return new VideoRequest(fieldsSoFar());
        }
    }
}
