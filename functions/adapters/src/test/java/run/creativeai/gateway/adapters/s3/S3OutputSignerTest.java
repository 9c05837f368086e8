package run.creativeai.gateway.adapters.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.adapters.AwsClients;
import run.creativeai.gateway.adapters.AwsServices;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.job.OutputSigner;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Download URLs of the outputs bucket: what plain HTTP does with them, and how honest their expiry is. */
@ExtendWith(AwsServices.class)
class S3OutputSignerTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static FunctionEnvironment env;
    private static S3Client s3;
    private static S3Presigner presigner;
    private static String bucket;

    @BeforeAll
    static void clients(AwsServices.Running aws) {
        env = aws.environment(Map.of());
        s3 = AwsClients.s3(env);
        presigner = AwsClients.s3Presigner(env);
        bucket = "signed-" + UUID.randomUUID();
        s3.createBucket(b -> b.bucket(bucket));
        s3.putObject(b -> b.bucket(bucket).key("gen_1/1/0.png").contentType("image/png"),
                RequestBody.fromString("a picture", StandardCharsets.UTF_8));
    }

    @AfterAll
    static void close() {
        s3.close();
        presigner.close();
    }

    @Test
    void aSignedUrlDownloadsTheObjectWithPlainHttpAndExpiresWhenAsked() throws Exception {
        S3OutputSigner signer = new S3OutputSigner(presigner, AwsClients.credentials(env), bucket);
        Instant now = Instant.now();
        OutputSigner.Signed signed = signer.sign("gen_1/1/0.png", now, Duration.ofHours(1));

        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(signed.url()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("a picture");
        assertThat(get.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(signed.expiresAt()).isEqualTo(now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(3600));
        assertThat(signed.url().getQuery()).contains("X-Amz-Expires=3600");
    }

    @Test
    void aUrlSignedWithTemporaryCredentialsEndsWhenTheyDoAndSaysSo() {
        Instant now = Instant.parse("2026-12-05T10:00:00Z");
        Instant credentialsEnd = now.plus(Duration.ofMinutes(20));
        var temporary = StaticCredentialsProvider.create(AwsSessionCredentials.builder().accessKeyId("ASIATEMP")
                .secretAccessKey("secret").sessionToken("token").expirationTime(credentialsEnd).build());
        OutputSigner.Signed signed = new S3OutputSigner(presigner, temporary, bucket)
                .sign("gen_1/1/0.png", now, Duration.ofHours(1));

        assertThat(signed.expiresAt()).isEqualTo(credentialsEnd);
        assertThat(signed.url().getQuery()).contains("X-Amz-Expires=1200").contains("X-Amz-Security-Token=token")
                .contains("ASIATEMP");
    }

    @Test
    void credentialsThatOutliveTheUrlLeaveItsOwnExpiry() {
        Instant now = Instant.parse("2026-12-05T10:00:00Z");
        var temporary = StaticCredentialsProvider.create(AwsSessionCredentials.builder().accessKeyId("ASIATEMP")
                .secretAccessKey("secret").sessionToken("token").expirationTime(now.plus(Duration.ofHours(6))).build());
        assertThat(new S3OutputSigner(presigner, temporary, bucket).sign("k", now, Duration.ofHours(1)).expiresAt())
                .isEqualTo(now.plus(Duration.ofHours(1)));
    }
}
