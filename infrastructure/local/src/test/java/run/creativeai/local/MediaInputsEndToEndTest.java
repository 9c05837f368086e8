package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.testing.TestImages;
import run.creativeai.local.services.SimulatedProviders;

/**
 * Input images as a customer uses them, against the local cloud: an upload by presigned PUT, every
 * operation that takes an image on both provider protocols (the simulators download the presigned
 * URLs they are given and refuse what is not an image), failover that respects operations, and bad
 * input refused before admission.
 */
@ExtendWith(LocalCloudExtension.class)
class MediaInputsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> PROVIDERS = List.of("flux", "sdxl", "kling", "seedance", "vidu");
    private static LocalCloud cloud;
    private static Api api;
    private static SimulatedProviders providers;
    private static ObjectNode initial;

    @BeforeAll
    static void start(LocalCloud localCloud) {
        cloud = localCloud;
        api = new Api(cloud);
        providers = cloud.services().providers();
        initial = providers.describeAll();
    }

    @AfterEach
    void restoreProviders() {
        for (String name : PROVIDERS) {
            providers.configure(name, JSON.createObjectNode().put("mode", "up")
                    .set("latency_ms", initial.path(name).path("latency_ms")));
        }
    }

    private static void quick(String... names) {
        for (String name : names) {
            providers.configure(name, JSON.createObjectNode().put("latency_ms", 200));
        }
    }

    private static String upload(String key, String type, byte[] bytes) {
        return api.upload(key, type, bytes);
    }

    private static HttpResponse<String> put(JsonNode upload, String type, byte[] bytes) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(upload.path("upload_url").asText()))
                .header("Content-Type", type).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ended(String key, Api.Response created) {
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        return api.awaitJob(created.json().path("id").asText(), key,
                j -> j.path("status").asText().matches("succeeded|failed|canceled"), Duration.ofSeconds(60));
    }

    @Test
    void anUploadIsPutStraightToS3AndItsStateIsTheTenantsToRead() throws Exception {
        String key = cloud.issueKey("media-upload", "pro").value();
        byte[] png = TestImages.png(640, 480);
        Api.Response created = api.post("/v1/uploads", key, "{\"content_type\":\"image/png\",\"size_bytes\":" + png.length + "}");
        assertThat(created.status()).isEqualTo(201);
        JsonNode upload = created.json();
        assertThat(upload.path("id").asText()).startsWith("upl_");
        assertThat(upload.path("upload_url").asText()).startsWith(cloud.services().s3Endpoint().toString());
        assertThat(upload.path("upload_headers").path("Content-Type").asText()).isEqualTo("image/png");
        assertThat(upload.path("max_bytes").asLong()).isEqualTo(20L * 1024 * 1024);
        assertThat(upload.path("status").asText()).isEqualTo("pending");
        String id = upload.path("id").asText();

        assertThat(put(upload, "image/png", "not the bytes promised".getBytes(StandardCharsets.UTF_8)).statusCode())
                .as("S3 itself refuses bytes of another length").isEqualTo(403);
        assertThat(api.get("/v1/uploads/" + id, key).json().path("status").asText()).isEqualTo("pending");
        assertThat(put(upload, "image/png", png).statusCode()).isEqualTo(200);

        JsonNode read = api.get("/v1/uploads/" + id, key).json();
        assertThat(read.path("status").asText()).isEqualTo("uploaded");
        assertThat(read.path("uploaded_bytes").asLong()).isEqualTo(png.length);
        String stranger = cloud.issueKey("media-upload-stranger", "pro").value();
        assertThat(api.get("/v1/uploads/" + id, stranger).status()).isEqualTo(404);
        Api.Response foreignJob = api.post("/v1/images/generations", stranger,
                "{\"model\":\"sdxl\",\"operation\":\"upscale\",\"image\":\"" + id + "\"}");
        assertThat(foreignJob.status()).isEqualTo(404);
        assertThat(foreignJob.json().path("error").path("param").asText()).isEqualTo("image");
    }

    @Test
    void everyImageOperationRunsOnBothProtocolsWithTheProviderFetchingItsInputsFromS3() throws Exception {
        quick("flux", "sdxl");
        String key = cloud.issueKey("media-operations", "enterprise").value();
        String image = upload(key, "image/png", TestImages.png(512, 512));
        String mask = upload(key, "image/png", TestImages.png(512, 512));
        List<String> bodies = List.of(
                "{\"operation\":\"image-to-image\",\"prompt\":\"in watercolour\",\"image\":\"" + image + "\"}",
                "{\"operation\":\"upscale\",\"image\":\"" + image + "\"}",
                "{\"operation\":\"remove-background\",\"image\":\"" + image + "\"}",
                "{\"operation\":\"replace-background\",\"prompt\":\"a beach\",\"image\":\"" + image + "\"}",
                "{\"operation\":\"inpainting\",\"prompt\":\"a red hat\",\"image\":\"" + image + "\",\"mask\":\"" + mask + "\"}");
        for (String model : List.of("flux", "sdxl")) {
            for (String body : bodies) {
                long fetched = providers.inputsFetched(model);
                String request = "{\"model\":\"" + model + "\"," + body.substring(1);
                JsonNode job = ended(key, api.post("/v1/images/generations", key, request));
                assertThat(job.path("status").asText()).as(model + " " + job).isEqualTo("succeeded");
                assertThat(job.path("model_actual").asText()).isEqualTo(model);
                assertThat(job.path("input").path("image").asText()).isEqualTo(image);
                assertThat(providers.inputsFetched(model) - fetched).as("inputs the provider downloaded for " + request)
                        .isEqualTo(body.contains("mask") ? 2 : 1);
            }
        }
    }

    @Test
    void imageToVideoRunsOnBothProtocolsFromAnUploadOrFromAUrlTheGatewayCopies() throws Exception {
        quick("kling", "seedance");
        String key = cloud.issueKey("media-video", "enterprise").value();
        String image = upload(key, "image/png", TestImages.png(1280, 720));
        for (String model : List.of("kling", "seedance")) {
            long fetched = providers.inputsFetched(model);
            JsonNode job = ended(key, api.post("/v1/video/generations", key, "{\"model\":\"" + model
                    + "\",\"prompt\":\"the sea moves\",\"duration\":5,\"image\":\"" + image + "\"}"));
            assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
            assertThat(job.path("input").path("operation").asText()).isEqualTo("image-to-video");
            assertThat(providers.inputsFetched(model) - fetched).isEqualTo(1);
        }
        // The older name, and a URL: copied into the bucket first, so the provider sees the gateway's URL only.
        String url = cloud.apiUrl() + "/_local/sample.png";
        JsonNode copied = ended(key, api.post("/v1/video/generations", key,
                "{\"model\":\"kling\",\"prompt\":\"dawn\",\"duration\":5,\"image_url\":\"" + url + "\"}"));
        assertThat(copied.path("status").asText()).as(copied.toString()).isEqualTo("succeeded");
        String upload = copied.path("input").path("image").asText();
        assertThat(upload).startsWith("upl_");
        assertThat(api.get("/v1/uploads/" + upload, key).json().path("status").asText()).isEqualTo("uploaded");
    }

    @Test
    void aChainSkipsTheLinksWhoseModelCannotDoTheOperation() throws Exception {
        quick("kling", "seedance", "vidu");
        providers.configure("kling", JSON.readTree("{\"mode\":\"down\"}"));
        providers.configure("seedance", JSON.readTree("{\"mode\":\"down\"}"));
        String key = cloud.issueKey("media-failover", "enterprise").value();
        String image = upload(key, "image/png", TestImages.png(640, 360));
        long viduBefore = providers.requests("vidu");

        JsonNode fromImage = ended(key, api.post("/v1/video/generations", key,
                "{\"model\":\"kling\",\"prompt\":\"waves\",\"duration\":5,\"image\":\"" + image + "\"}"));
        assertThat(fromImage.path("status").asText()).as(fromImage.toString()).isEqualTo("failed");
        List<String> tried = new ArrayList<>();
        fromImage.path("attempts").forEach(a -> tried.add(a.path("model").asText()));
        assertThat(tried).as("vidu cannot do image-to-video").isNotEmpty().doesNotContain("vidu");
        assertThat(providers.requests("vidu")).isEqualTo(viduBefore);

        JsonNode fromText = ended(key, api.post("/v1/video/generations", key,
                "{\"model\":\"kling\",\"prompt\":\"waves\",\"duration\":5}"));
        assertThat(fromText.path("status").asText()).as(fromText.toString()).isEqualTo("succeeded");
        assertThat(fromText.path("model_actual").asText()).isEqualTo("vidu");
    }

    @Test
    void badInputsAreRefusedNamingTheFieldBeforeAnyLimitCountsThem() throws Exception {
        String key = cloud.issueKey("media-abuse", "free").value();
        String stranger = cloud.issueKey("media-abuse-stranger", "free").value();
        String text = upload(key, "image/png", "a text file, named holiday.png\n".getBytes(StandardCharsets.UTF_8));
        String bomb = upload(key, "image/png", TestImages.png(100_000, 100_000));
        String jpegAsPng = upload(key, "image/png", TestImages.jpeg(64, 64, 0));
        String theirs = upload(stranger, "image/png", TestImages.png(64, 64));
        String image = upload(key, "image/png", TestImages.png(64, 64));
        String neverSent = api.post("/v1/uploads", key, "{\"content_type\":\"image/png\",\"size_bytes\":100}")
                .json().path("id").asText();

        record Case(String route, String body, int status, String param, String says) {
        }
        List<Case> cases = List.of(
                new Case("/v1/uploads", "{\"content_type\":\"image/png\",\"size_bytes\":20971521}", 400, "size_bytes", "from 1 to 20971520"),
                new Case("/v1/uploads", "{\"content_type\":\"image/gif\",\"size_bytes\":100}", 400, "content_type", "image/png, image/jpeg, image/webp"),
                new Case("/v1/images/generations", "{\"model\":\"sdxl\",\"operation\":\"upscale\",\"image\":\"" + text + "\"}", 400, "image", "is not a PNG, JPEG or WebP image"),
                new Case("/v1/images/generations", "{\"model\":\"sdxl\",\"operation\":\"upscale\",\"image\":\"" + bomb + "\"}", 400, "image", "100000 x 100000"),
                new Case("/v1/images/generations", "{\"model\":\"sdxl\",\"operation\":\"upscale\",\"image\":\"" + jpegAsPng + "\"}", 400, "image", "declared image/png"),
                new Case("/v1/images/generations", "{\"model\":\"sdxl\",\"operation\":\"upscale\",\"image\":\"" + neverSent + "\"}", 400, "image", "PUT them to its upload_url"),
                new Case("/v1/images/generations", "{\"model\":\"sdxl\",\"operation\":\"upscale\",\"image\":\"" + theirs + "\"}", 404, "image", "does not exist"),
                new Case("/v1/images/generations", "{\"model\":\"sdxl\",\"operation\":\"upscale\",\"image\":\"http://10.0.0.8/cat.png\"}", 400, "image", "not a loopback address"),
                new Case("/v1/images/generations", "{\"model\":\"sdxl\",\"operation\":\"upscale\",\"image\":\"http://169.254.169.254/latest\"}", 400, "image", "not a loopback address"),
                new Case("/v1/images/generations", "{\"model\":\"sdxl\",\"operation\":\"upscale\",\"image\":\"" + cloud.apiUrl() + "/_local/nothing-here.png\"}", 400, "image", "could not be fetched"),
                new Case("/v1/images/generations", "{\"model\":\"sdxl\",\"prompt\":\"x\",\"image\":\"" + image + "\",\"mask\":\"" + image + "\"}", 400, "mask", "only used by inpainting"),
                new Case("/v1/images/generations", "{\"model\":\"sdxl\",\"operation\":\"inpainting\",\"prompt\":\"x\",\"image\":\"" + image + "\"}", 400, "mask", "mask is required for inpainting"),
                new Case("/v1/images/generations", "{\"model\":\"sdxl\",\"operation\":\"upscale\"}", 400, "image", "image is required for upscale"),
                new Case("/v1/video/generations", "{\"model\":\"vidu\",\"prompt\":\"x\",\"duration\":5,\"image\":\"" + image + "\"}", 400, "model", "cannot do image-to-video"));
        for (Case c : cases) {
            Api.Response response = api.post(c.route(), key, c.body());
            assertThat(response.status()).as(c.body() + " -> " + response).isEqualTo(c.status());
            assertThat(response.json().path("error").path("param").asText()).as(c.body()).isEqualTo(c.param());
            assertThat(response.json().path("error").path("message").asText()).as(c.body()).contains(c.says());
            assertThat(response.json().has("id")).isFalse();
        }
        JsonNode quota = api.get("/v1/quota", key).json();
        List<JsonNode> creationRules = new ArrayList<>();
        // Uploads and this quota read count as reads, by design; nothing else may have counted.
        quota.path("rate_limits").forEach(rule -> {
            if (!rule.path("rule").asText().equals("reads_per_minute")) {
                creationRules.add(rule);
            }
        });
        assertThat(creationRules).as("no creation rule counted anything: %s", quota).isNotEmpty()
                .allSatisfy(rule -> assertThat(rule.path("used").asLong()).as(rule.toString()).isZero());
    }
}
