package run.creativeai.gateway.media;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The uploads bucket: presigned URLs for the bytes that never pass through a function, and the few
 * reads and writes the gateway itself makes (an object's size, its first bytes, a copied URL).
 */
public interface MediaStore {

    /**
     * A URL the customer PUTs exactly {@code bytes} bytes of {@code format} to; anything else is refused
     * by the store. It works from {@code now} for {@code valid}, or until the credentials that sign it
     * end if that is sooner: its {@link SignedRequest#expiresAt} says which.
     */
    SignedRequest presignUpload(UploadId id, ImageFormat format, long bytes, Instant now, Duration valid);

    /** A URL anyone holding it may GET the upload's bytes from, until it expires: what providers are given. */
    URI presignDownload(UploadId id, Duration valid);

    /** The object, when its bytes have arrived. */
    Optional<StoredObject> stored(UploadId id);

    /** Bytes of the object from {@code offset}; fewer than asked at its end. */
    byte[] read(UploadId id, long offset, int length);

    /** Stores bytes the gateway copied itself. */
    void store(UploadId id, ImageFormat format, byte[] bytes);

    /** Stores a zip archive the gateway packed itself (a training's images), under {@code id}'s key. */
    void storeArchive(UploadId id, byte[] zip);

    /** A presigned request: its URL, the headers the client must send with it as they were signed, and when it stops working. */
    record SignedRequest(URI url, String method, Map<String, String> headers, Instant expiresAt) {
        public SignedRequest {
            headers = Map.copyOf(headers);
        }
    }

    record StoredObject(long bytes, String contentType) {
    }
}
