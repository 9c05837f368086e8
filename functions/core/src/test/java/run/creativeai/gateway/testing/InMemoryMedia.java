package run.creativeai.gateway.testing;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import run.creativeai.gateway.media.ImageFormat;
import run.creativeai.gateway.media.MediaStore;
import run.creativeai.gateway.media.Upload;
import run.creativeai.gateway.media.UploadId;
import run.creativeai.gateway.media.UploadStore;

/** The uploads table and bucket in memory; counts the bytes read, so tests see that only headers are. */
public final class InMemoryMedia implements UploadStore, MediaStore {
    private final Map<UploadId, Upload> records = new ConcurrentHashMap<>();
    private final Map<UploadId, byte[]> objects = new ConcurrentHashMap<>();
    public final List<Long> bytesRead = new CopyOnWriteArrayList<>();
    /** When the credentials that sign the upload URLs end, as a store's signing credentials may. */
    public volatile Instant signingCredentialsEnd = Instant.MAX;

    @Override
    public void create(Upload upload) {
        if (records.putIfAbsent(upload.id(), upload) != null) {
            throw new IllegalStateException("upload " + upload.id() + " exists");
        }
    }

    @Override
    public Optional<Upload> find(UploadId id) {
        return Optional.ofNullable(records.get(id));
    }

    /** The customer's PUT to the presigned URL, as the bucket takes it. */
    public void put(UploadId id, byte[] bytes) {
        objects.put(id, bytes);
    }

    @Override
    public SignedRequest presignUpload(UploadId id, ImageFormat format, long bytes, Instant now, Duration valid) {
        Instant requested = now.plus(valid);
        return new SignedRequest(URI.create("https://uploads.example.com/" + id.objectKey() + "?signed"), "PUT",
                Map.of("Content-Type", format.contentType()),
                requested.isAfter(signingCredentialsEnd) ? signingCredentialsEnd : requested);
    }

    @Override
    public URI presignDownload(UploadId id, Duration valid) {
        return URI.create("https://uploads.example.com/" + id.objectKey() + "?get");
    }

    @Override
    public Optional<StoredObject> stored(UploadId id) {
        return Optional.ofNullable(objects.get(id)).map(b -> new StoredObject(b.length,
                Optional.ofNullable(records.get(id)).map(u -> u.declaredFormat().contentType()).orElse("")));
    }

    @Override
    public byte[] read(UploadId id, long offset, int length) {
        byte[] bytes = objects.get(id);
        if (offset >= bytes.length) {
            return new byte[0];
        }
        byte[] range = Arrays.copyOfRange(bytes, (int) offset, (int) Math.min(bytes.length, offset + length));
        bytesRead.add((long) range.length);
        return range;
    }

    @Override
    public void store(UploadId id, ImageFormat format, byte[] bytes) {
        objects.put(id, bytes);
    }

    @Override
    public void storeArchive(UploadId id, byte[] zip) {
        objects.put(id, zip);
    }

    public Optional<byte[]> object(UploadId id) {
        return Optional.ofNullable(objects.get(id));
    }
}
