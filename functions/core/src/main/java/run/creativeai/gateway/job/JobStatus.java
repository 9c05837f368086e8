package run.creativeai.gateway.job;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The life of a job. The allowed moves live here and nowhere else. */
public enum JobStatus {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELED,
    /** Ended before any provider got it: its {@code Cancel-After} deadline passed while it was queued (Replicate's word). */
    ABORTED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELED || this == ABORTED;
    }

    /** Whether a job in this status may move to {@code next}. */
    public boolean canBecome(JobStatus next) {
        return successors().contains(next);
    }

    private Set<JobStatus> successors() {
        return switch (this) {
            case QUEUED -> EnumSet.of(RUNNING, FAILED, CANCELED, ABORTED);
            case RUNNING -> EnumSet.of(SUCCEEDED, FAILED, CANCELED);
            case SUCCEEDED, FAILED, CANCELED, ABORTED -> EnumSet.noneOf(JobStatus.class);
        };
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
