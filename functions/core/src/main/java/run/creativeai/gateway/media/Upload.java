package run.creativeai.gateway.media;

import java.time.Instant;
import java.util.Objects;
import run.creativeai.gateway.tenant.TenantId;

/**
 * An upload as the gateway recorded it when it signed the URL: whose it is, what the customer said
 * they would send, and until when it may be sent and used. Whether the bytes arrived is the bucket's
 * to say, not this record's.
 *
 * @param uploadBy   the presigned PUT URL's expiry: bytes not sent by then never will be
 * @param usableUntil the last moment a job may name it
 */
public record Upload(UploadId id, TenantId tenant, ImageFormat declaredFormat, long declaredBytes, Instant createdAt,
        Instant uploadBy, Instant usableUntil) {

    public Upload {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(declaredFormat, "declaredFormat");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(uploadBy, "uploadBy");
        Objects.requireNonNull(usableUntil, "usableUntil");
    }
}
