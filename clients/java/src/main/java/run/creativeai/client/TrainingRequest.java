package run.creativeai.client;

import java.util.List;
import java.util.Map;

/**
 * A LoRA training to create ({@code POST /v1/trainings}): a base model that can be trained, 4 to 20
 * uploaded images, and the trigger word prompts name to call up what the images show. Once it has
 * succeeded, its {@link Generation#fineTunedModel()} is a model of the tenant's own, named in a
 * generation request as any model is.
 */
public record TrainingRequest(Map<String, Object> fields) {

    /** @param baseModel a model that can be trained ({@code flux}) */
    public static Builder builder(String baseModel) {
        return new Builder(baseModel);
    }

    public static final class Builder extends CreateBuilder<Builder> {
        private Builder(String baseModel) {
            fields.put("base_model", baseModel);
        }

        @Override
        Builder self() {
            return this;
        }

        /** The images to train on: uploads' ids ({@link Upload#id()}), 4 to 20 of them. */
        public Builder images(List<String> uploadIds) {
            return field("images", uploadIds);
        }

        public Builder images(Upload... uploads) {
            return images(java.util.Arrays.stream(uploads).map(Upload::id).toList());
        }

        /** 1 to 40 of {@code A-Z a-z 0-9 _ -}, starting with a letter or digit. */
        public Builder triggerWord(String word) {
            return field("trigger_word", word);
        }

        /** 100 to 4000 (the API's default 1000): the price grows with them. */
        public Builder steps(int steps) {
            return field("steps", steps);
        }

        public TrainingRequest build() {
            return new TrainingRequest(fieldsSoFar());
        }
    }
}
