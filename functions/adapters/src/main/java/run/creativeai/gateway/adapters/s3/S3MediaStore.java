package run.creativeai.gateway.adapters.s3;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import run.creativeai.gateway.job.OutputSigner;
import run.creativeai.gateway.media.ImageFormat;
import run.creativeai.gateway.media.MediaStore;
import run.creativeai.gateway.media.UploadId;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The uploads bucket through the SDK's S3 client and presigner. A presigned PUT signs the content
 * type and the exact length, so S3 refuses a request that sends other bytes; a presigned GET is what
 * providers fetch inputs from. The gateway itself reads an object's first bytes with a ranged GET,
 * never the whole object; a presigned URL works no longer than the credentials that signed it, and
 * says so ({@link CredentialBoundPresigner}). The client and the presigner are asked for at their first use:
 * most of a function's requests (an admission without an input image) never touch the bucket, and
 * building an S3 client loads some 400 classes at a cold start.
 */
public final class S3MediaStore implements MediaStore {
    private final Supplier<S3Client> s3;
    private final CredentialBoundPresigner signer;
    private final String bucket;
    private final Clock clock;

    public S3MediaStore(S3Client s3, S3Presigner presigner, AwsCredentialsProvider credentials, String bucket,
            Clock clock) {
        this(() -> s3, () -> presigner, credentials, bucket, clock);
    }

    /**
     * @param s3          and {@code presigner}: each asked for when first needed (a function's own, built once)
     * @param credentials what the presigned URLs are signed with, so that their expiry is known
     */
    public S3MediaStore(Supplier<S3Client> s3, Supplier<S3Presigner> presigner, AwsCredentialsProvider credentials,
            String bucket, Clock clock) {
        this.s3 = s3;
        this.signer = new CredentialBoundPresigner(presigner, credentials);
        this.bucket = bucket;
        this.clock = clock;
    }

    @Override
    public SignedRequest presignUpload(UploadId id, ImageFormat format, long bytes, Instant now, Duration valid) {
        OutputSigner.Signed signed = signer.put(bucket, id.objectKey(), format.contentType(), bytes, now, valid);
        // Content-Length is signed too, but every HTTP client sets it from the body itself (browsers refuse to be told).
        return new SignedRequest(signed.url(), "PUT", Map.of("Content-Type", format.contentType()), signed.expiresAt());
    }

    /** Signing calls nothing: a function that only signs (the dispatcher) never builds the S3 client. */
    @Override
    public URI presignDownload(UploadId id, Duration valid) {
        return signer.get(bucket, id.objectKey(), clock.instant(), valid).url();
    }

    @Override
    public Optional<StoredObject> stored(UploadId id) {
        try {
            HeadObjectResponse head = s3.get().headObject(b -> b.bucket(bucket).key(id.objectKey()));
            return Optional.of(new StoredObject(head.contentLength(), Optional.ofNullable(head.contentType()).orElse("")));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public byte[] read(UploadId id, long offset, int length) {
        try {
            return s3.get().getObject(b -> b.bucket(bucket).key(id.objectKey()).range("bytes=" + offset + "-" + (offset + length - 1)),
                    ResponseTransformer.toBytes()).asByteArray();
        } catch (S3Exception e) {
            // 416: the range starts past the end of the object.
            if (e.statusCode() == 416) {
                return new byte[0];
            }
            throw e;
        }
    }

    @Override
    public void storeArchive(UploadId id, byte[] zip) {
        s3.get().putObject(b -> b.bucket(bucket).key(id.objectKey()).contentType("application/zip"), RequestBody.fromBytes(zip));
    }

    @Override
    public void store(UploadId id, ImageFormat format, byte[] bytes) {
        s3.get().putObject(b -> b.bucket(bucket).key(id.objectKey()).contentType(format.contentType()), RequestBody.fromBytes(bytes));
    }
}
