package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.local.services.WebhookReceiver;

/** One job through the whole pipeline over HTTP, as a customer sees it. */
@ExtendWith(LocalCloudExtension.class)
class EndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalCloud cloud;
    private static Api api;

    @BeforeAll
    static void start(LocalCloud localCloud) {
        cloud = localCloud;
        api = new Api(cloud);
        cloud.services().providers().configure("seedream", JSON.createObjectNode().put("latency_ms", 200));
        cloud.services().providers().configure("kling", JSON.createObjectNode().put("latency_ms", 1500));
    }

    @Test
    void anImageJobIsAcceptedRunByItsProviderAndDeliveredSignedToTheWebhook() throws Exception {
        var key = cloud.issueKey("e2e-image", "pro");
        String hook = cloud.apiUrl() + "/_local/webhooks/e2e-image";
        Api.Response created = api.post("/v1/images/generations", key.value(),
                "{\"model\":\"seedream\",\"prompt\":\"a lighthouse at dawn\",\"n\":2,\"webhook_url\":\"" + hook + "\","
                        + "\"metadata\":{\"order\":42}}");

        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        JsonNode job = created.json();
        String id = job.path("id").asText();
        assertThat(job.path("status").asText()).isEqualTo("queued");
        assertThat(created.header("Location")).isEqualTo("/v1/generations/" + id);
        // The tightest rule: seed 001's 20 Seedream images a minute, of which this request used 2.
        assertThat(created.header("X-RateLimit-Limit")).isEqualTo("20");
        assertThat(created.header("X-RateLimit-Remaining")).isEqualTo("18");
        assertThat(created.header("X-Request-Id")).isNotBlank();
        assertThat(created.header("X-Region")).isEqualTo("us-east-1");
        assertThat(created.header("X-Request-Duration")).matches("\\d+ms");

        List<WebhookReceiver.Delivery> deliveries = cloud.services().webhooks()
                .await(d -> d.path().equals("/e2e-image"), 1, Duration.ofSeconds(30));
        assertThat(deliveries).as("webhook deliveries").hasSize(1);
        WebhookReceiver.Delivery delivery = deliveries.get(0);
        JsonNode event = JSON.readTree(delivery.body());
        assertThat(event.path("type").asText()).isEqualTo("generation.succeeded");
        assertThat(event.path("data").path("id").asText()).isEqualTo(id);
        assertThat(event.path("data").path("outputs")).hasSize(2);
        assertThat(event.path("data").path("metadata").path("order").asInt()).isEqualTo(42);
        assertThat(delivery.signedBy()).as("Standard Webhooks signature").contains("e2e-image");
        assertThat(delivery.header("x-creativeai-signature"))
                .isEqualTo("sha256=" + hmacHex(signingSecretOf("e2e-image"), delivery.body()));

        JsonNode finished = api.awaitJob(id, key.value(), j -> j.path("webhook").path("attempts").size() == 1,
                Duration.ofSeconds(30));
        assertThat(finished.path("status").asText()).isEqualTo("succeeded");
        assertThat(finished.path("model_actual").asText()).isEqualTo("seedream");
        assertThat(finished.path("failover_used").asBoolean()).isFalse();
        assertThat(finished.path("outputs").get(0).path("url").asText()).startsWith("http://127.0.0.1:");
        assertThat(finished.path("timings").path("queue_wait_ms").isNumber()).isTrue();
        assertThat(finished.path("timings").path("inference_ms").asLong()).isGreaterThanOrEqualTo(200);
        assertThat(finished.path("webhook").path("attempts").get(0).path("status_code").asInt()).isEqualTo(200);
        assertThat(finished.path("webhook").path("attempts").get(0).path("event_id").asText())
                .isEqualTo(event.path("event_id").asText());

        Api.Response status = api.get("/v1/generations/" + id, key.value());
        assertThat(status.header("X-Model")).isEqualTo("seedream");
        assertThat(status.header("X-Queue-Wait")).matches("\\d+ms");
        assertThat(status.header("X-Inference-Time")).matches("\\d+ms");
    }

    @Test
    void aVideoJobWithoutAWebhookCanBeFollowedOnTheStatusEndpoint() {
        var key = cloud.issueKey("e2e-video", "enterprise");
        Api.Response created = api.post("/v1/video/generations", key.value(),
                "{\"model\":\"auto\",\"prompt\":\"product reveal\",\"duration\":5}");
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        String id = created.json().path("id").asText();

        JsonNode job = api.awaitJob(id, key.value(), j -> j.path("status").asText().equals("succeeded"),
                Duration.ofSeconds(60));
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.path("model").asText()).isEqualTo("auto");
        assertThat(job.path("model_actual").asText()).isEqualTo("kling");
        assertThat(job.path("outputs").get(0).path("content_type").asText()).isEqualTo("video/mp4");
        assertThat(job.path("input").path("duration").asInt()).isEqualTo(5);
    }

    @Test
    void anotherTenantsJobIsNotFound() {
        var owner = cloud.issueKey("e2e-owner", "pro");
        var stranger = cloud.issueKey("e2e-stranger", "pro");
        String id = api.post("/v1/images/generations", owner.value(), "{\"model\":\"sdxl\",\"prompt\":\"mine\"}")
                .json().path("id").asText();
        Api.Response response = api.get("/v1/generations/" + id, stranger.value());
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().path("error").path("type").asText()).isEqualTo("not_found_error");
    }

    private static String signingSecretOf(String tenant) {
        return cloud.runtime().secretsManager()
                .getSecretValue(b -> b.secretId(LocalCloud.STACK_NAME + "/webhook-signing/" + tenant)).secretString();
    }

    private static String hmacHex(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }
}
