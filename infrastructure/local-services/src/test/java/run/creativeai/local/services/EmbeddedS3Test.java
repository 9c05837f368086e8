package run.creativeai.local.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/** The embedded S3, reached through the real SDK v2 S3 client. */
class EmbeddedS3Test {
    @Test
    void anObjectWrittenThroughTheSdkReadsBackWithItsTypeWholeAndByRange() {
        try (EmbeddedS3 s3 = EmbeddedS3.start(Optional.empty()); S3Client client = client(s3)) {
            client.createBucket(b -> b.bucket("media"));
            client.putObject(b -> b.bucket("media").key("jobs/gen_1/0.png").contentType("image/png"),
                    RequestBody.fromString("not really a png"));

            ResponseBytes<GetObjectResponse> whole = client.getObjectAsBytes(b -> b.bucket("media").key("jobs/gen_1/0.png"));
            assertThat(whole.asUtf8String()).isEqualTo("not really a png");
            assertThat(whole.response().contentType()).isEqualTo("image/png");
            assertThat(client.getObjectAsBytes(b -> b.bucket("media").key("jobs/gen_1/0.png").range("bytes=4-9"))
                    .asUtf8String()).isEqualTo("really");
        }
    }

    @Test
    void aMultipartUploadIsAssembledFromItsParts() {
        try (EmbeddedS3 s3 = EmbeddedS3.start(Optional.empty()); S3Client client = client(s3)) {
            client.createBucket(b -> b.bucket("media"));
            String upload = client.createMultipartUpload(b -> b.bucket("media").key("video.mp4")).uploadId();
            // Every part but the last must be at least 5 MiB, as on S3.
            byte[] first = new byte[5 * 1024 * 1024];
            first[0] = 1;
            String firstTag = client.uploadPart(b -> b.bucket("media").key("video.mp4").uploadId(upload).partNumber(1),
                    RequestBody.fromBytes(first)).eTag();
            String lastTag = client.uploadPart(b -> b.bucket("media").key("video.mp4").uploadId(upload).partNumber(2),
                    RequestBody.fromString("tail")).eTag();
            client.completeMultipartUpload(b -> b.bucket("media").key("video.mp4").uploadId(upload)
                    .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(firstTag).build(),
                            CompletedPart.builder().partNumber(2).eTag(lastTag).build())));

            assertThat(client.headObject(b -> b.bucket("media").key("video.mp4")).contentLength())
                    .isEqualTo(first.length + 4L);
            assertThat(client.getObjectAsBytes(b -> b.bucket("media").key("video.mp4").range("bytes=0-0")).asByteArray())
                    .containsExactly(1);
        }
    }

    @Test
    void withADataDirectoryBucketsAndObjectsSurviveARestart(@TempDir Path data) {
        try (EmbeddedS3 s3 = EmbeddedS3.start(Optional.of(data)); S3Client client = client(s3)) {
            client.createBucket(b -> b.bucket("outputs"));
            client.putObject(b -> b.bucket("outputs").key("jobs/gen_1/0.mp4").contentType("video/mp4"),
                    RequestBody.fromString("kept"));
        }
        try (EmbeddedS3 s3 = EmbeddedS3.start(Optional.of(data)); S3Client client = client(s3)) {
            assertThat(client.listBuckets().buckets()).extracting(b -> b.name()).containsExactly("outputs");
            ResponseBytes<GetObjectResponse> kept = client.getObjectAsBytes(b -> b.bucket("outputs").key("jobs/gen_1/0.mp4"));
            assertThat(kept.asUtf8String()).isEqualTo("kept");
            assertThat(kept.response().contentType()).isEqualTo("video/mp4");
        }
    }

    /** As the functions build theirs against a local endpoint (path-style; checksums only where an operation requires one). */
    private static S3Client client(EmbeddedS3 s3) {
        return S3Client.builder().endpointOverride(s3.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(AwsBackend.ACCESS_KEY_ID, AwsBackend.SECRET_ACCESS_KEY)))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
