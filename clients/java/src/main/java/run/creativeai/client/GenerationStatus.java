package run.creativeai.client;

import java.util.Locale;

/**
 * Where a generation is in its life. {@link #UNKNOWN} stands for a status this client does not know
 * yet; a wait treats it as not ended.
 */
public enum GenerationStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELED,
    /** Ended by its deadline before any provider started it (Replicate's {@code aborted}). */
    ABORTED,
    UNKNOWN;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELED || this == ABORTED;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static GenerationStatus fromWire(String value) {
        for (GenerationStatus status : values()) {
            if (status.wireName().equals(value)) {
                return status;
            }
        }
        return UNKNOWN;
    }
}
