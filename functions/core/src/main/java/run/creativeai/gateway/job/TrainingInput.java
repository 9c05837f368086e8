package run.creativeai.gateway.job;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import run.creativeai.gateway.media.UploadId;

/**
 * What a LoRA training learns from, already validated: the tenant's uploaded images, the word that
 * will call up what they show, and how many steps to train for. Both training protocols take the
 * images as one zip archive at a URL, so admission packs them into {@code archive} (an object of the
 * uploads bucket) before the job is stored.
 *
 * @param baseModel   the image model the LoRA is trained for, and that its trained model runs on
 * @param images      the uploads trained on, in the order given
 * @param triggerWord the token prompts use to call up the trained concept
 * @param steps       training steps, within {@link #MIN_STEPS} and {@link #MAX_STEPS}
 * @param archive     the images packed as a zip, once admission has made it
 */
public record TrainingInput(String baseModel, List<UploadId> images, String triggerWord, int steps, Optional<UploadId> archive) {
    /** The fewest images a LoRA learns anything from, and the most one training takes. */
    public static final int MIN_IMAGES = 4;
    public static final int MAX_IMAGES = 20;
    /** Steps a training may ask for: the range both trainers accept (fal: 1-10000, Replicate's: 3-6000). */
    public static final int MIN_STEPS = 100;
    public static final int MAX_STEPS = 4000;
    public static final int DEFAULT_STEPS = 1000;

    public TrainingInput {
        Objects.requireNonNull(baseModel, "baseModel");
        images = List.copyOf(images);
        Objects.requireNonNull(triggerWord, "triggerWord");
        Objects.requireNonNull(archive, "archive");
        if (images.size() < MIN_IMAGES || images.size() > MAX_IMAGES) {
            throw new IllegalArgumentException("a training takes " + MIN_IMAGES + " to " + MAX_IMAGES + " images");
        }
        if (steps < MIN_STEPS || steps > MAX_STEPS) {
            throw new IllegalArgumentException("steps must be from " + MIN_STEPS + " to " + MAX_STEPS);
        }
    }

    /** The same training with its images packed into {@code zip}. */
    public TrainingInput withArchive(UploadId zip) {
        return new TrainingInput(baseModel, images, triggerWord, steps, Optional.of(zip));
    }

    /** The prefix of a tenant's trained model's id. */
    public static final String MODEL_PREFIX = "ft_";

    /** The id of the model a training makes: derived from its job's, so recording it again changes nothing. */
    public static String modelIdOf(JobId training) {
        return MODEL_PREFIX + training.value().substring(training.value().indexOf('_') + 1);
    }
}
