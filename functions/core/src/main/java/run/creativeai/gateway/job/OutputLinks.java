package run.creativeai.gateway.job;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * How a customer reaches a job's stored outputs: a download URL signed afresh on every read, valid
 * for {@link #validity()} (or less, see {@link OutputSigner.Signed#expiresAt}), and the time until
 * which the bucket keeps the object.
 */
public final class OutputLinks {
    private final OutputSigner signer;
    private final Duration validity;
    private final int retentionDays;

    /**
     * @param validity      how long each URL is asked to work (the template's OutputUrlSeconds)
     * @param retentionDays the outputs bucket's expiration rule (the template's OutputRetentionDays)
     */
    public OutputLinks(OutputSigner signer, Duration validity, int retentionDays) {
        this.signer = Objects.requireNonNull(signer, "signer");
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("a download URL must be valid for some time");
        }
        if (retentionDays < 1) {
            throw new IllegalArgumentException("outputs are kept for at least a day");
        }
        this.validity = validity;
        this.retentionDays = retentionDays;
    }

    public Duration validity() {
        return validity;
    }

    /** A fresh download link for {@code output}, signed at {@code now}. */
    public Link link(StoredOutput output, Instant now) {
        OutputSigner.Signed signed = signer.sign(output.key(), now, validity);
        return new Link(signed.url().toString(), signed.expiresAt(), retainedUntil(output.storedAt()));
    }

    /**
     * When the bucket's lifecycle rule deletes the object at the earliest: S3 adds the rule's days to
     * the object's creation time and rounds up to the next midnight UTC.
     */
    public Instant retainedUntil(Instant storedAt) {
        Instant due = storedAt.plus(Duration.ofDays(retentionDays));
        Instant midnight = due.atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
        return midnight.equals(due) ? due : midnight.plus(Duration.ofDays(1));
    }

    /**
     * @param expiresAt     when {@code url} stops working
     * @param retainedUntil until when the object itself is kept
     */
    public record Link(String url, Instant expiresAt, Instant retainedUntil) {
    }
}
