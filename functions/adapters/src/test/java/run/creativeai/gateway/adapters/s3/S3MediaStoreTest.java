package run.creativeai.gateway.adapters.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.adapters.AwsClients;
import run.creativeai.gateway.adapters.AwsServices;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.media.ImageFormat;
import run.creativeai.gateway.media.MediaStore;
import run.creativeai.gateway.media.UploadId;
import run.creativeai.gateway.testing.TestImages;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The uploads bucket against the local S3, used as a customer and a provider use its presigned URLs. */
@ExtendWith(AwsServices.class)
class S3MediaStoreTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static S3MediaStore store;
    private static S3Client s3;
    private static S3Presigner presigner;
    private static String bucket;
    private static int sequence;

    @BeforeAll
    static void bucket(AwsServices.Running aws) {
        FunctionEnvironment env = aws.environment(Map.of());
        s3 = AwsClients.s3(env);
        presigner = AwsClients.s3Presigner(env);
        bucket = "uploads-" + UUID.randomUUID();
        s3.createBucket(b -> b.bucket(bucket));
        store = new S3MediaStore(s3, presigner, AwsClients.credentials(env), bucket, Clock.systemUTC());
    }

    private static synchronized UploadId nextId() {
        sequence++;
        return new UploadId("upl_" + String.format("%026d", sequence));
    }

    private static HttpResponse<byte[]> put(MediaStore.SignedRequest signed, String type, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(signed.url()).header("Content-Type", type)
                .method(signed.method(), HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void theSignedPutTakesExactlyTheDeclaredBytesAndTheirFirstBytesReadBackByRange() throws Exception {
        UploadId id = nextId();
        byte[] png = TestImages.png(640, 480);
        assertThat(store.stored(id)).as("nothing before the PUT").isEmpty();
        MediaStore.SignedRequest signed = store.presignUpload(id, ImageFormat.PNG, png.length, Instant.now(), Duration.ofMinutes(15));
        assertThat(signed.headers()).containsEntry("Content-Type", "image/png");
        assertThat(put(signed, "image/png", png).statusCode()).isEqualTo(200);

        assertThat(store.stored(id)).contains(new MediaStore.StoredObject(png.length, "image/png"));
        assertThat(store.read(id, 0, 24)).isEqualTo(Arrays.copyOf(png, 24));
        assertThat(store.read(id, 16, 1 << 16)).hasSize(png.length - 16);
        assertThat(store.read(id, png.length + 10, 16)).isEmpty();
    }

    @Test
    void theBucketItselfRefusesOtherLengthsAndOtherTypesThanTheSignedOnes() throws Exception {
        UploadId id = nextId();
        byte[] png = TestImages.png(10, 10);
        MediaStore.SignedRequest signed = store.presignUpload(id, ImageFormat.PNG, png.length, Instant.now(), Duration.ofMinutes(15));
        assertThat(put(signed, "image/png", Arrays.copyOf(png, png.length + 100)).statusCode()).as("longer").isEqualTo(403);
        assertThat(put(signed, "image/jpeg", png).statusCode()).as("another type").isEqualTo(403);
        assertThat(store.stored(id)).isEmpty();
    }

    @Test
    void anInputUrlSignedWithTemporaryCredentialsEndsWhenTheyDo() {
        Instant now = Instant.parse("2026-12-05T10:00:00Z");
        var temporary = StaticCredentialsProvider.create(AwsSessionCredentials.builder().accessKeyId("ASIATEMP")
                .secretAccessKey("secret").sessionToken("token").expirationTime(now.plus(Duration.ofMinutes(20))).build());
        URI get = new S3MediaStore(s3, presigner, temporary, bucket, Clock.fixed(now, ZoneOffset.UTC))
                .presignDownload(nextId(), Duration.ofHours(1));
        assertThat(get.getQuery()).as("a provider fetching it after the credentials end gets 403, whatever it says")
                .contains("X-Amz-Expires=1200").contains("X-Amz-Security-Token=token").contains("ASIATEMP");
    }

    @Test
    void anUploadUrlSignedWithTemporaryCredentialsEndsWhenTheyDoAndSaysSo() {
        Instant now = Instant.parse("2026-12-05T10:00:00Z");
        var temporary = StaticCredentialsProvider.create(AwsSessionCredentials.builder().accessKeyId("ASIATEMP")
                .secretAccessKey("secret").sessionToken("token").expirationTime(now.plus(Duration.ofMinutes(6))).build());
        MediaStore.SignedRequest put = new S3MediaStore(s3, presigner, temporary, bucket, Clock.fixed(now, ZoneOffset.UTC))
                .presignUpload(nextId(), ImageFormat.PNG, 1000, now, Duration.ofMinutes(15));
        assertThat(put.url().getQuery()).as("a PUT after the credentials end gets 403, whatever it was signed for")
                .contains("X-Amz-Expires=360").contains("X-Amz-Security-Token=token");
        assertThat(put.expiresAt()).as("the expiry the customer is told").isEqualTo(now.plus(Duration.ofMinutes(6)));
    }

    @Test
    void aCopiedImageIsWhatItsPresignedGetServes() throws Exception {
        UploadId id = nextId();
        byte[] webp = TestImages.webpLossy(32, 32);
        store.store(id, ImageFormat.WEBP, webp);
        URI get = store.presignDownload(id, Duration.ofMinutes(15));
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(get).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(webp);
        assertThat(response.headers().firstValue("Content-Type")).contains("image/webp");
    }
}
