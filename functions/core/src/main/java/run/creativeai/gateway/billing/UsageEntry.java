package run.creativeai.gateway.billing;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Usage counted under one tenant, day, model and key: one job's line when it is settled, or the sum
 * of many when read back. A job counts on the UTC day it was admitted (whenever it ends), under the
 * model that served it (the requested one if none did), so a day's usage agrees with the key budgets
 * of that day.
 *
 * @param jobs         jobs admitted (counted once settled)
 * @param images       images delivered by succeeded image jobs
 * @param videoSeconds seconds of video delivered by succeeded video jobs
 */
public record UsageEntry(LocalDate day, String model, String key, long jobs, long succeeded, long failed,
        long canceled, long images, long videoSeconds, long creditsCharged, long creditsRefunded) {

    public UsageEntry {
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(key, "key");
    }

    /** The counts of both, under this entry's day, model and key. */
    public UsageEntry plus(UsageEntry other) {
        return new UsageEntry(day, model, key, jobs + other.jobs, succeeded + other.succeeded, failed + other.failed,
                canceled + other.canceled, images + other.images, videoSeconds + other.videoSeconds,
                creditsCharged + other.creditsCharged, creditsRefunded + other.creditsRefunded);
    }
}
