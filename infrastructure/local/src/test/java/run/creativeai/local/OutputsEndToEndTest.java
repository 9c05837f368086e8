package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.job.JobStatus;
import run.creativeai.local.services.WebhookReceiver;

/**
 * Outputs outlive the provider's URL: a finished job's files are copied into the local S3, and the
 * job and its webhook hand out presigned URLs that plain HTTP downloads, with the size and SHA-256
 * the copy measured; on both provider protocols; an output the provider already deleted fails over.
 */
@ExtendWith(LocalCloudExtension.class)
class OutputsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);
    private static LocalCloud cloud;
    private static Api api;
    private static String key;

    @BeforeAll
    static void start(LocalCloud localCloud) {
        cloud = localCloud;
        api = new Api(cloud);
        key = cloud.issueKey("outputs-" + System.nanoTime(), "enterprise").value();
    }

    /** Sets providers' behaviour for the duration of a test, and puts it back after. */
    private static AutoCloseable providers(Map<String, String> settings) {
        Map<String, JsonNode> before = new java.util.LinkedHashMap<>();
        settings.forEach((name, json) -> {
            JsonNode all = cloud.services().providers().describeAll().path(name);
            ObjectNode previous = JSON.createObjectNode();
            readTree(json).fieldNames().forEachRemaining(field -> previous.set(field, all.path(field)));
            before.put(name, previous);
            cloud.services().providers().configure(name, readTree(json));
        });
        return () -> before.forEach((name, previous) -> cloud.services().providers().configure(name, previous));
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private static JsonNode run(String path, String body) {
        Api.Response created = api.post(path, key, body);
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        String id = created.json().path("id").asText();
        return api.awaitJob(id, key, j -> JobStatus.fromWire(j.path("status").asText()).isTerminal(), JOB_TIMEOUT);
    }

    private static HttpResponse<byte[]> download(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** The outputs the bucket holds under a job's prefix. */
    private static List<String> objectsOf(String jobId) {
        String bucket = cloud.runtime().function("DispatcherFunction").environment().get(Components.OUTPUTS_BUCKET);
        return cloud.runtime().s3().listObjectsV2(b -> b.bucket(bucket).prefix("outputs/" + jobId + "/")).contents().stream()
                .map(o -> o.key()).toList();
    }

    /** An output as the job shows it: downloaded through its URL, it is the file the copy measured. */
    private static byte[] assertDownloadable(JsonNode output, String type) throws Exception {
        String url = output.path("url").asText();
        assertThat(URI.create(url).getPort()).as("the local S3, not the provider")
                .isEqualTo(cloud.services().s3Endpoint().getPort());
        HttpResponse<byte[]> file = download(url);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Type")).contains(type);
        assertThat(output.path("content_type").asText()).isEqualTo(type);
        assertThat(output.path("size_bytes").asLong()).isEqualTo(file.body().length);
        assertThat(output.path("sha256").asText()).isEqualTo(sha256(file.body()));
        Instant expires = Instant.parse(output.path("expires_at").asText());
        assertThat(expires).isBetween(Instant.now().plus(Duration.ofMinutes(55)), Instant.now().plus(Duration.ofMinutes(61)));
        assertThat(Instant.parse(output.path("retained_until").asText())).isAfter(Instant.now().plus(Duration.ofDays(29)));
        return file.body();
    }

    @Test
    void anImageOnReplicatesProtocolIsCopiedAndItsPresignedUrlDownloadsTheProvidersPng() throws Exception {
        try (AutoCloseable fast = providers(Map.of("sdxl", "{\"latency_ms\":200}"))) {
            JsonNode job = run("/v1/images/generations", "{\"model\":\"sdxl\",\"prompt\":\"a lighthouse\",\"n\":2}");
            assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
            JsonNode outputs = job.path("outputs");
            assertThat(outputs).hasSize(2);
            for (JsonNode output : outputs) {
                byte[] png = assertDownloadable(output, "image/png");
                assertThat(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png)).getWidth()).isEqualTo(1024);
            }
            String id = job.path("id").asText();
            assertThat(objectsOf(id)).containsExactlyInAnyOrder("outputs/" + id + "/1/0.png", "outputs/" + id + "/1/1.png");
            assertThat(job.path("timings").path("copy_ms").isNumber()).isTrue();
        }
    }

    @Test
    void aVideoOnFalsProtocolLargerThanAPartIsCopiedWhole() throws Exception {
        long size = 20L * 1024 * 1024 + 123;
        try (AutoCloseable fast = providers(Map.of("kling", "{\"latency_ms\":300,\"output_bytes\":" + size + "}"))) {
            JsonNode job = run("/v1/video/generations", "{\"model\":\"kling\",\"prompt\":\"waves\",\"duration\":5}");
            assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
            assertThat(job.path("model_actual").asText()).isEqualTo("kling");
            byte[] mp4 = assertDownloadable(job.path("outputs").get(0), "video/mp4");
            assertThat(mp4).hasSize((int) size);
            assertThat(objectsOf(job.path("id").asText())).containsExactly("outputs/" + job.path("id").asText() + "/1/0.mp4");
        }
    }

    @Test
    void anOutputTheProviderAlreadyDeletedFailsTheAttemptOverAsExpiredAndTheNextLinkServes() throws Exception {
        try (AutoCloseable gone = providers(Map.of("seedream", "{\"latency_ms\":200,\"output_lifetime_ms\":0}",
                "flux", "{\"latency_ms\":200}"))) {
            JsonNode job = run("/v1/images/generations", "{\"model\":\"seedream\",\"prompt\":\"a fox\"}");
            assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
            assertThat(job.path("model_actual").asText()).isEqualTo("flux");
            assertThat(job.path("failover_used").asBoolean()).isTrue();
            JsonNode first = job.path("attempts").get(0);
            assertThat(first.path("model").asText()).isEqualTo("seedream");
            assertThat(first.path("outcome").asText()).isEqualTo("unavailable");
            assertThat(first.path("detail").asText()).startsWith("provider_output_expired:").contains("HTTP 404");
            assertDownloadable(job.path("outputs").get(0), "image/png");
            String id = job.path("id").asText();
            assertThat(objectsOf(id)).as("only the serving attempt's output").containsExactly("outputs/" + id + "/2/0.png");
        }
    }

    @Test
    void theWebhookCarriesTheOutputsWithUrlsThatDownloadThem() throws Exception {
        String hook = "/outputs-" + System.nanoTime();
        try (AutoCloseable fast = providers(Map.of("sdxl", "{\"latency_ms\":200}"))) {
            JsonNode job = run("/v1/images/generations", "{\"model\":\"sdxl\",\"prompt\":\"a harbour\",\"webhook_url\":\""
                    + cloud.apiUrl() + "/_local/webhooks" + hook + "\"}");
            assertThat(job.path("status").asText()).isEqualTo("succeeded");
            List<WebhookReceiver.Delivery> deliveries = cloud.services().webhooks().await(d -> d.path().equals(hook), 1,
                    JOB_TIMEOUT);
            JsonNode output = JSON.readTree(deliveries.get(0).body()).path("data").path("outputs").get(0);
            assertDownloadable(output, "image/png");
            assertThat(output.path("sha256").asText()).isEqualTo(job.path("outputs").get(0).path("sha256").asText());
        }
    }
}
