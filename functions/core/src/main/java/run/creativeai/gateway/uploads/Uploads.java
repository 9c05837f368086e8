package run.creativeai.gateway.uploads;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import run.creativeai.gateway.config.IdSource;
import run.creativeai.gateway.media.ImageFormat;
import run.creativeai.gateway.media.MediaLimits;
import run.creativeai.gateway.media.MediaStore;
import run.creativeai.gateway.media.Upload;
import run.creativeai.gateway.media.UploadId;
import run.creativeai.gateway.media.UploadStore;
import run.creativeai.gateway.tenant.TenantId;

/**
 * Uploads: a presigned PUT for bytes that go straight to the bucket (no function in their path),
 * recorded with their tenant so only that tenant's jobs may name them; and an upload's state, which
 * the bucket decides (the bytes are there or not) together with the record's times.
 */
public final class Uploads {
    private final UploadStore records;
    private final MediaStore media;
    private final MediaLimits limits;
    private final IdSource ids;
    private final Clock clock;

    public Uploads(UploadStore records, MediaStore media, MediaLimits limits, IdSource ids, Clock clock) {
        this.records = records;
        this.media = media;
        this.limits = limits;
        this.ids = ids;
        this.clock = clock;
    }

    public MediaLimits limits() {
        return limits;
    }

    /** A new upload of {@code bytes} bytes of {@code format}: its record, and the request that sends them. */
    public Created create(TenantId tenant, ImageFormat format, long bytes) {
        if (bytes < 1 || bytes > limits.maxBytes()) {
            throw new IllegalArgumentException("an upload's size is checked before it is created");
        }
        Instant now = clock.instant();
        UploadId id = UploadId.next(ids);
        // Signing makes no call; the upload is open for as long as its URL works, which the credentials
        // that sign it may cut short, and says so.
        MediaStore.SignedRequest put = media.presignUpload(id, format, bytes, now, limits.uploadUrlValid());
        Upload upload = new Upload(id, tenant, format, bytes, now, put.expiresAt(), now.plus(limits.retention()));
        records.create(upload);
        return new Created(upload, put);
    }

    /** The tenant's upload and where it stands; empty for an unknown id or another tenant's. */
    public Optional<Status> find(TenantId tenant, UploadId id) {
        return records.find(id).filter(u -> u.tenant().equals(tenant)).map(this::status);
    }

    private Status status(Upload upload) {
        Instant now = clock.instant();
        if (!now.isBefore(upload.usableUntil())) {
            return new Status(upload, State.EXPIRED, Optional.empty());
        }
        Optional<MediaStore.StoredObject> stored = media.stored(upload.id());
        if (stored.isPresent()) {
            return new Status(upload, State.UPLOADED, stored);
        }
        return new Status(upload, now.isBefore(upload.uploadBy()) ? State.PENDING : State.EXPIRED, Optional.empty());
    }

    public record Created(Upload upload, MediaStore.SignedRequest request) {
    }

    /** {@code PENDING}: waiting for its bytes; {@code UPLOADED}: jobs may name it; {@code EXPIRED}: no longer. */
    public enum State {
        PENDING, UPLOADED, EXPIRED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public record Status(Upload upload, State state, Optional<MediaStore.StoredObject> stored) {
    }
}
