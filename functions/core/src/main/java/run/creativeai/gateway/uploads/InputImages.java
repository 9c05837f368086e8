package run.creativeai.gateway.uploads;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import run.creativeai.gateway.media.ImageFormat;
import run.creativeai.gateway.media.ImageHeader;
import run.creativeai.gateway.media.MediaLimits;
import run.creativeai.gateway.media.MediaSource;
import run.creativeai.gateway.media.MediaStore;
import run.creativeai.gateway.media.RemoteImages;
import run.creativeai.gateway.media.Upload;
import run.creativeai.gateway.media.UploadId;
import run.creativeai.gateway.media.UploadStore;
import run.creativeai.gateway.tenant.TenantId;

/**
 * Checks an input image before its job is admitted, so a request with a bad input counts against no
 * limit: the upload is the tenant's, still usable and complete; its real format (magic bytes) is a
 * PNG, JPEG or WebP and the one it was declared as; its size and its pixel dimensions, read from the
 * header before anything decodes it, are within {@link MediaLimits}. An {@code https} URL is first
 * copied into the uploads bucket as an upload of the tenant's, so providers only ever see the
 * gateway's own presigned URLs.
 */
public final class InputImages {
    private final UploadStore records;
    private final MediaStore media;
    private final RemoteImages remote;
    private final MediaLimits limits;
    private final run.creativeai.gateway.config.IdSource ids;
    private final Clock clock;

    public InputImages(UploadStore records, MediaStore media, RemoteImages remote, MediaLimits limits,
            run.creativeai.gateway.config.IdSource ids, Clock clock) {
        this.records = records;
        this.media = media;
        this.remote = remote;
        this.limits = limits;
        this.ids = ids;
        this.clock = clock;
    }

    /** What a check found: the upload to hand providers, or why the input cannot be used. */
    public sealed interface Checked permits Accepted, Refused {
    }

    public record Accepted(UploadId upload, ImageHeader header) implements Checked {
    }

    public record Refused(InputRefusal refusal) implements Checked {
    }

    public Checked check(TenantId tenant, String field, MediaSource source) {
        if (source instanceof MediaSource.Remote url) {
            return copy(tenant, field, url);
        }
        return checkUpload(tenant, field, ((MediaSource.Upload) source).id());
    }

    private Checked checkUpload(TenantId tenant, String field, UploadId id) {
        Optional<Upload> found = records.find(id).filter(u -> u.tenant().equals(tenant));
        if (found.isEmpty()) {
            return refuse(field, InputRefusal.Reason.NOT_FOUND, field + " names upload " + id + ", which does not exist");
        }
        Upload upload = found.get();
        Instant now = clock.instant();
        if (!now.isBefore(upload.usableUntil())) {
            return refuse(field, InputRefusal.Reason.EXPIRED, field + " names upload " + id + ", which expired at "
                    + upload.usableUntil() + "; upload the image again");
        }
        Optional<MediaStore.StoredObject> stored = media.stored(id);
        if (stored.isEmpty()) {
            return now.isBefore(upload.uploadBy())
                    ? refuse(field, InputRefusal.Reason.NOT_UPLOADED, field + " names upload " + id
                            + ", whose bytes have not arrived: PUT them to its upload_url first")
                    : refuse(field, InputRefusal.Reason.EXPIRED, field + " names upload " + id
                            + ", which was never completed: its upload_url expired at " + upload.uploadBy());
        }
        if (stored.get().bytes() > limits.maxBytes()) {
            return tooLarge(field);
        }
        Checked checked = inspect(field, ImageHeader.read((offset, length) -> media.read(id, offset, length)), id);
        if (checked instanceof Accepted accepted && accepted.header().format() != upload.declaredFormat()) {
            return refuse(field, InputRefusal.Reason.TYPE_MISMATCH, field + " names upload " + id + ", declared "
                    + upload.declaredFormat().contentType() + " but its bytes are "
                    + accepted.header().format().contentType());
        }
        return checked;
    }

    /** Fetches the URL under the webhook rules, checks the bytes, and only then stores them as a new upload. */
    private Checked copy(TenantId tenant, String field, MediaSource.Remote url) {
        RemoteImages.Fetch fetch = remote.fetch(url.url(), limits.maxBytes(), limits.fetchTimeout());
        if (fetch instanceof RemoteImages.Refused refused) {
            return refuse(field, InputRefusal.Reason.URL_REFUSED, field + " " + refused.why());
        }
        if (fetch instanceof RemoteImages.TooLarge) {
            return tooLarge(field);
        }
        if (fetch instanceof RemoteImages.Failed failed) {
            return refuse(field, InputRefusal.Reason.URL_UNREACHABLE, field + " could not be fetched: " + failed.why());
        }
        byte[] bytes = ((RemoteImages.Fetched) fetch).bytes();
        UploadId id = UploadId.next(ids);
        Checked checked = inspect(field, ImageHeader.read(bytes), id);
        if (checked instanceof Accepted accepted) {
            ImageFormat format = accepted.header().format();
            Instant now = clock.instant();
            media.store(id, format, bytes);
            records.create(new Upload(id, tenant, format, bytes.length, now, now, now.plus(limits.retention())));
        }
        return checked;
    }

    private Checked inspect(String field, ImageHeader.Reading reading, UploadId id) {
        if (reading instanceof ImageHeader.NotAnImage) {
            return refuse(field, InputRefusal.Reason.NOT_AN_IMAGE, field + " is not a PNG, JPEG or WebP image: its first"
                    + " bytes are none of " + String.join(", ", ImageFormat.contentTypes()));
        }
        if (reading instanceof ImageHeader.Unreadable unreadable) {
            return refuse(field, InputRefusal.Reason.NOT_AN_IMAGE, field + " is not a readable image: "
                    + unreadable.why());
        }
        ImageHeader header = ((ImageHeader.Read) reading).header();
        if (header.width() > limits.maxSide() || header.height() > limits.maxSide()
                || header.pixels() > limits.maxPixels()) {
            return refuse(field, InputRefusal.Reason.TOO_MANY_PIXELS, field + " is " + header.width() + " x "
                    + header.height() + " pixels; at most " + limits.maxSide() + " on a side and "
                    + limits.maxPixels() + " in all are accepted");
        }
        return new Accepted(id, header);
    }

    private Checked tooLarge(String field) {
        return refuse(field, InputRefusal.Reason.TOO_LARGE, field + " is larger than " + limits.maxBytes() + " bytes");
    }

    private static Checked refuse(String field, InputRefusal.Reason reason, String message) {
        return new Refused(new InputRefusal(field, reason, message));
    }
}
