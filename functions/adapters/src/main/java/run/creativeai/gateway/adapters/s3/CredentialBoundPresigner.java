package run.creativeai.gateway.adapters.s3;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Supplier;
import run.creativeai.gateway.job.OutputSigner;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Presigns GETs and PUTs of any bucket's objects (SigV4 query strings; no call is made) for no longer than the
 * credentials that sign them last. A presigned URL works only while those credentials do: a
 * function's role credentials are temporary, so a URL signed with them dies when they expire,
 * whatever expiry it was signed for. The URL is therefore signed with credentials resolved here,
 * whose expiry is known when their provider tells it (the container credentials Lambda serves under
 * SnapStart do), and the expiry it is signed for and reported with is the earlier of the two.
 * Credentials without a stated expiry (the environment variables of a function without SnapStart,
 * the local cloud's fixed keys) leave the requested expiry, which the session behind them may end
 * sooner. Every presigned URL the gateway hands out (outputs' links, providers' inputs, trained
 * weights, customers' uploads) is signed here.
 */
public final class CredentialBoundPresigner {
    private final Supplier<S3Presigner> presigner;
    private final AwsCredentialsProvider credentials;

    /** @param presigner asked for at the first signature: a function that signs no link never builds one */
    public CredentialBoundPresigner(Supplier<S3Presigner> presigner, AwsCredentialsProvider credentials) {
        this.presigner = presigner;
        this.credentials = credentials;
    }

    /** A GET of {@code key} in {@code bucket}, signed at {@code now} for {@code validity} or until the credentials end. */
    public OutputSigner.Signed get(String bucket, String key, Instant now, Duration validity) {
        Window window = window(now, validity);
        var presigned = presigner.get().presignGetObject(p -> p.signatureDuration(window.signedFor())
                .getObjectRequest(g -> g.bucket(bucket).key(key)
                        .overrideConfiguration(o -> o.credentialsProvider(window.credentials()))));
        return new OutputSigner.Signed(uri(presigned.url()), window.expiresAt());
    }

    /**
     * A PUT of exactly {@code bytes} bytes of {@code contentType} to {@code key} in {@code bucket}, signed
     * at {@code now} for {@code validity} or until the credentials end.
     */
    public OutputSigner.Signed put(String bucket, String key, String contentType, long bytes, Instant now,
            Duration validity) {
        Window window = window(now, validity);
        var presigned = presigner.get().presignPutObject(p -> p.signatureDuration(window.signedFor())
                .putObjectRequest(put -> put.bucket(bucket).key(key).contentType(contentType).contentLength(bytes)
                        .overrideConfiguration(o -> o.credentialsProvider(window.credentials()))));
        return new OutputSigner.Signed(uri(presigned.url()), window.expiresAt());
    }

    /** The credentials a URL is signed with, for how long, and until when it works. */
    private record Window(StaticCredentialsProvider credentials, Duration signedFor, Instant expiresAt) {
    }

    private Window window(Instant now, Duration validity) {
        AwsCredentials signing = credentials.resolveCredentials();
        // SigV4 counts the expiry from the signing second.
        Instant signedAt = now.truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = signedAt.plus(validity);
        Optional<Instant> credentialsEnd = signing.expirationTime();
        if (credentialsEnd.isPresent() && credentialsEnd.get().isBefore(expiresAt)) {
            expiresAt = credentialsEnd.get().truncatedTo(ChronoUnit.SECONDS);
        }
        Duration lifetime = Duration.between(signedAt, expiresAt);
        if (lifetime.compareTo(Duration.ofSeconds(1)) < 0) {
            lifetime = Duration.ofSeconds(1);
        }
        return new Window(StaticCredentialsProvider.create(signing), lifetime, expiresAt);
    }

    private static URI uri(java.net.URL url) {
        try {
            return url.toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the presigner made a URL that is not a URI", e);
        }
    }
}
