package run.creativeai.gateway.job;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One output of a job, copied into the gateway's outputs bucket: its object key, what the copy
 * measured while streaming it (size, SHA-256 of the bytes), and when it was stored (the bucket's
 * lifecycle rule counts its retention from then).
 *
 * @param sha256 lower-case hex of the SHA-256 of the object's bytes
 */
public record StoredOutput(String key, String contentType, long sizeBytes, String sha256, Instant storedAt,
        Optional<Integer> width, Optional<Integer> height) implements JobOutput {

    public StoredOutput {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(storedAt, "storedAt");
        Objects.requireNonNull(width, "width");
        Objects.requireNonNull(height, "height");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("an object has no negative size");
        }
    }

    /**
     * The object key of output {@code index} (0-based) of attempt {@code attempt} of a job: derived
     * from nothing else, so a copy made again (a redelivered message, a resumed job) overwrites the
     * first instead of adding a second object, and outputs of different attempts never collide.
     */
    public static String key(JobId job, int attempt, int index, String contentType) {
        if (attempt < 1 || index < 0) {
            throw new IllegalArgumentException("attempts count from 1 and outputs from 0");
        }
        return prefix(job) + attempt + "/" + index + extension(contentType);
    }

    /**
     * The object key of a training's output (its LoRA weights), like {@link #key} but under
     * {@code trained-models/}, which the bucket's expiry rule leaves alone: a tenant's trained model
     * outlives the outputs' retention.
     */
    public static String trainedKey(JobId job, int attempt, int index, String contentType) {
        return TRAINED_PREFIX + key(job, attempt, index, contentType).substring("outputs/".length());
    }

    /** Where trained models' weights are kept in the outputs bucket, never expired. */
    public static final String TRAINED_PREFIX = "trained-models/";

    /**
     * Where a job's outputs are, under the bucket's {@code outputs/} prefix: the only keys the
     * functions' roles may touch in the outputs bucket (template.yaml).
     */
    public static String prefix(JobId job) {
        return run.creativeai.gateway.media.MediaSource.Output.KEY_PREFIX + job.value() + "/";
    }

    /** A file extension for the type, so a downloaded file opens with the right program. */
    static String extension(String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT).split(";")[0].trim();
        return switch (type) {
            case "image/png" -> ".png";
            case "image/jpeg" -> ".jpg";
            case "image/webp" -> ".webp";
            case "video/mp4" -> ".mp4";
            case "video/webm" -> ".webm";
            case "application/x-tar" -> ".tar";
            case "application/octet-stream" -> ".safetensors";
            default -> "";
        };
    }
}
