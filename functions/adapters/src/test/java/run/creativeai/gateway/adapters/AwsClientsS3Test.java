package run.creativeai.gateway.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.config.FunctionEnvironment;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The S3 client and presigner as the functions build them, against the local S3: what a customer's
 * plain HTTP client can do with a presigned URL, and what it cannot.
 */
@ExtendWith(AwsServices.class)
class AwsClientsS3Test {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final byte[] PNG = "\u0089PNG\r\n\u001a\n a small image".getBytes(StandardCharsets.ISO_8859_1);

    private static S3Client s3;
    private static S3Presigner presigner;
    private static String bucket;

    @BeforeAll
    static void clients(AwsServices.Running aws) {
        FunctionEnvironment env = aws.environment(Map.of());
        s3 = AwsClients.s3(env);
        presigner = AwsClients.s3Presigner(env);
        bucket = "media-" + UUID.randomUUID();
        s3.createBucket(b -> b.bucket(bucket));
    }

    @AfterAll
    static void close() {
        s3.close();
        presigner.close();
    }

    @Test
    void anObjectPutThroughTheClientReadsBackWithItsContentType() {
        s3.putObject(b -> b.bucket(bucket).key("outputs/gen_1/0.png").contentType("image/png"), RequestBody.fromBytes(PNG));

        ResponseBytes<GetObjectResponse> read = s3.getObjectAsBytes(b -> b.bucket(bucket).key("outputs/gen_1/0.png"));
        assertThat(read.asByteArray()).isEqualTo(PNG);
        assertThat(read.response().contentType()).isEqualTo("image/png");
    }

    @Test
    void aPresignedPutWithTheDeclaredTypeAndLengthStoresTheBytesAndAPresignedGetReturnsThem() throws Exception {
        URL upload = presignedPut("uploads/upl_1", "image/png", PNG.length, Duration.ofMinutes(15));
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(upload.toURI()).header("Content-Type", "image/png")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(PNG)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as("presigned PUT answered %s", put.body()).isEqualTo(200);

        HttpResponse<byte[]> get = HTTP.send(HttpRequest.newBuilder(presignedGet("uploads/upl_1", Duration.ofMinutes(15)).toURI())
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(PNG);
        assertThat(get.headers().firstValue("Content-Type")).contains("image/png");
    }

    @Test
    void aPresignedPutRefusesBytesOfAnotherLengthOrTypeThanTheOnesSigned() throws Exception {
        URL upload = presignedPut("uploads/upl_2", "image/png", PNG.length, Duration.ofMinutes(15));
        byte[] longer = (new String(PNG, StandardCharsets.ISO_8859_1) + " and more").getBytes(StandardCharsets.ISO_8859_1);

        HttpResponse<String> tooLong = HTTP.send(HttpRequest.newBuilder(upload.toURI()).header("Content-Type", "image/png")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(longer)).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> otherType = HTTP.send(HttpRequest.newBuilder(upload.toURI()).header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(PNG)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(tooLong.statusCode()).as("more bytes than declared").isEqualTo(403);
        assertThat(otherType.statusCode()).as("another content type than declared").isEqualTo(403);
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(bucket).key("uploads/upl_2")))
                .as("nothing was stored").isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void aPresignedUrlWhoseSignatureIsAlteredIsRefused() throws Exception {
        s3.putObject(b -> b.bucket(bucket).key("outputs/gen_3/0.png"), RequestBody.fromBytes(PNG));
        String url = presignedGet("outputs/gen_3/0.png", Duration.ofMinutes(15)).toString();
        char last = url.charAt(url.length() - 1);
        String altered = url.substring(0, url.length() - 1) + (last == '0' ? '1' : '0');
        assertThat(url).as("the signature is the last query parameter").containsPattern("X-Amz-Signature=[0-9a-f]{64}$");

        HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create(altered)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("SignatureDoesNotMatch").doesNotContain("a small image");
    }

    @Test
    void aPresignedUrlIsRefusedOnceItsTimeHasPassed() throws Exception {
        s3.putObject(b -> b.bucket(bucket).key("outputs/gen_4/0.png"), RequestBody.fromBytes(PNG));
        URI shortLived = presignedGet("outputs/gen_4/0.png", Duration.ofSeconds(1)).toURI();

        // S3 counts the validity in whole seconds from the signing time, so this takes a second or two.
        Awaitility.await("the one-second URL to be refused as expired").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                    HttpResponse<String> response = get(shortLived);
                    assertThat(response.statusCode()).isEqualTo(403);
                    assertThat(response.body()).contains("AccessDenied").contains("Request has expired");
                });
        assertThat(get(presignedGet("outputs/gen_4/0.png", Duration.ofMinutes(15)).toURI()).statusCode())
                .as("a URL signed now for the same object").isEqualTo(200);
    }

    @Test
    void onAwsPresignedUrlsAreHttpsUrlsOnTheBucketsOwnHost() {
        FunctionEnvironment aws = FunctionEnvironment.of(Map.of("AWS_REGION", "eu-west-1",
                "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "secret"));
        try (S3Presigner deployed = AwsClients.s3Presigner(aws)) {
            URL url = deployed.presignGetObject(r -> r.signatureDuration(Duration.ofHours(1))
                    .getObjectRequest(b -> b.bucket("creativeai-outputs").key("outputs/gen_1/0.png"))).url();
            assertThat(url.getProtocol()).isEqualTo("https");
            assertThat(url.getHost()).isEqualTo("creativeai-outputs.s3.eu-west-1.amazonaws.com");
            assertThat(url.getPath()).isEqualTo("/outputs/gen_1/0.png");
        }
    }

    private static URL presignedPut(String key, String contentType, long length, Duration validFor) {
        return presigner.presignPutObject(r -> r.signatureDuration(validFor)
                .putObjectRequest(b -> b.bucket(bucket).key(key).contentType(contentType).contentLength(length))).url();
    }

    private static URL presignedGet(String key, Duration validFor) {
        return presigner.presignGetObject(r -> r.signatureDuration(validFor).getObjectRequest(b -> b.bucket(bucket).key(key)))
                .url();
    }

    private static HttpResponse<String> get(URI url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
    }
}
