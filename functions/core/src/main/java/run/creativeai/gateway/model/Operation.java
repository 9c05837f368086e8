package run.creativeai.gateway.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a generation does with its inputs (seed 001's model APIs): the one definition the parser,
 * the catalogue, the limits and the prices share. Each operation belongs to one kind, and says
 * which inputs it needs: an {@code image}, a {@code mask}, a {@code prompt}.
 */
public enum Operation {
    TEXT_TO_IMAGE("text-to-image", JobKind.IMAGE, false, false, Prompt.REQUIRED),
    IMAGE_TO_IMAGE("image-to-image", JobKind.IMAGE, true, false, Prompt.REQUIRED),
    UPSCALE("upscale", JobKind.IMAGE, true, false, Prompt.OPTIONAL),
    REMOVE_BACKGROUND("remove-background", JobKind.IMAGE, true, false, Prompt.NONE),
    REPLACE_BACKGROUND("replace-background", JobKind.IMAGE, true, false, Prompt.REQUIRED),
    INPAINTING("inpainting", JobKind.IMAGE, true, true, Prompt.REQUIRED),
    TEXT_TO_VIDEO("text-to-video", JobKind.VIDEO, false, false, Prompt.REQUIRED),
    IMAGE_TO_VIDEO("image-to-video", JobKind.VIDEO, true, false, Prompt.REQUIRED),
    /** Trains a LoRA on a set of images; its inputs are a training's own ({@code TrainingInput}), not one image. */
    LORA_TRAINING("lora-training", JobKind.TRAINING, false, false, Prompt.NONE);

    /** Whether an operation takes a prompt: it must, it may, or it has no use for one. */
    public enum Prompt {
        REQUIRED, OPTIONAL, NONE
    }

    private final String wireName;
    private final JobKind kind;
    private final boolean needsImage;
    private final boolean needsMask;
    private final Prompt prompt;

    Operation(String wireName, JobKind kind, boolean needsImage, boolean needsMask, Prompt prompt) {
        this.wireName = wireName;
        this.kind = kind;
        this.needsImage = needsImage;
        this.needsMask = needsMask;
        this.prompt = prompt;
    }

    public String wireName() {
        return wireName;
    }

    public JobKind kind() {
        return kind;
    }

    public boolean needsImage() {
        return needsImage;
    }

    public boolean needsMask() {
        return needsMask;
    }

    public Prompt prompt() {
        return prompt;
    }

    /**
     * Whether a request may name the size of the image it makes. Upscaling and background removal
     * make one image the size of their input, so they take none.
     */
    public boolean takesSize() {
        return kind == JobKind.IMAGE && this != UPSCALE && this != REMOVE_BACKGROUND;
    }

    /** The operation of a request of this kind that names none: from text, or from the image it gives. */
    public static Operation defaultFor(JobKind kind, boolean withImage) {
        return switch (kind) {
            case IMAGE -> withImage ? IMAGE_TO_IMAGE : TEXT_TO_IMAGE;
            case VIDEO -> withImage ? IMAGE_TO_VIDEO : TEXT_TO_VIDEO;
            case TRAINING -> LORA_TRAINING;
        };
    }

    public static Optional<Operation> fromWire(String value) {
        String name = value.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(o -> o.wireName.equals(name)).findFirst();
    }

    public static List<Operation> of(JobKind kind) {
        return Arrays.stream(values()).filter(o -> o.kind == kind).toList();
    }

    public static List<String> wireNames(JobKind kind) {
        return of(kind).stream().map(Operation::wireName).toList();
    }
}
