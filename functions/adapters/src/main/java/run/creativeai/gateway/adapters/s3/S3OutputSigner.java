package run.creativeai.gateway.adapters.s3;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import run.creativeai.gateway.job.OutputSigner;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Presigns GETs of the outputs bucket's objects, for no longer than the signing credentials last
 * ({@link CredentialBoundPresigner}), and says until when each works.
 */
public final class S3OutputSigner implements OutputSigner {
    private final CredentialBoundPresigner gets;
    private final String bucket;

    public S3OutputSigner(S3Presigner presigner, AwsCredentialsProvider credentials, String bucket) {
        this(() -> presigner, credentials, bucket);
    }

    /** @param presigner asked for at the first signature: a function that signs no link never builds one */
    public S3OutputSigner(Supplier<S3Presigner> presigner, AwsCredentialsProvider credentials, String bucket) {
        this.gets = new CredentialBoundPresigner(presigner, credentials);
        this.bucket = bucket;
    }

    @Override
    public Signed sign(String key, Instant now, Duration validity) {
        return gets.get(bucket, key, now, validity);
    }
}
