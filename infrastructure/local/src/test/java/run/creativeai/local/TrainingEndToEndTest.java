package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.testing.TestImages;
import run.creativeai.local.services.SampleMedia;
import run.creativeai.local.services.SimulatedProviders;

/**
 * LoRA training as a customer uses it, against the local cloud: images uploaded, a training on fal's
 * queue (and on Replicate's trainings API when fal is down), its weights copied into the gateway's
 * bucket, and the tenant's own model generating with them (the simulated provider downloads the
 * weights and says which training made them), a 404 for anyone else; a running training cancelled.
 * The simulated trainers take their {@code training_ms} of clock time, holding no thread.
 */
@ExtendWith(LocalCloudExtension.class)
class TrainingEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> PROVIDERS = List.of("flux", "sdxl");
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
                    .put("training_ms", initial.path(name).path("training_ms").asLong())
                    .set("latency_ms", initial.path(name).path("latency_ms")));
        }
    }

    private static void trainingTakes(String provider, long millis) {
        providers.configure(provider, JSON.createObjectNode().put("training_ms", millis).put("latency_ms", 200));
    }

    private static List<String> images(String key, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(api.upload(key, "image/png", TestImages.png(256 + i, 256)));
        }
        return ids;
    }

    private static String trainingBody(List<String> images, String extra) {
        return "{\"base_model\":\"flux\",\"trigger_word\":\"sksmug\",\"steps\":500,\"images\":["
                + String.join(",", images.stream().map(i -> "\"" + i + "\"").toList()) + "]" + extra + "}";
    }

    /**
     * Cancels each training still going and waits until every one has ended: a training left queued
     * would keep its tier's queue busy for the tests that run after this class.
     */
    private static void cancelAll(String key, List<String> ids) {
        for (String id : ids) {
            Api.Response cancel = api.delete("/v1/trainings/" + id, key);
            assertThat(cancel.status()).as("cancel of " + id + ": " + cancel).isIn(200, 409);
            ended("/v1/trainings/" + id, key);
        }
    }

    private static JsonNode ended(String path, String key) {
        await("training " + path + " ends").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .until(() -> api.get(path, key).json().path("status").asText().matches("succeeded|failed|canceled"));
        return api.get(path, key).json();
    }

    private static byte[] download(String url) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as("download of " + url).isEqualTo(200);
        return response.body();
    }

    @Test
    void aTrainedModelGeneratesForItsTenantWithItsWeightsAndIsUnknownToEveryOtherTenant() throws Exception {
        trainingTakes("flux", 2_000);
        String key = cloud.issueKey("training-owner", "pro").value();
        Api.Response created = api.post("/v1/trainings", key, trainingBody(images(key, 4), ""));
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        assertThat(created.json().path("object").asText()).isEqualTo("training");
        assertThat(created.json().path("model").asText()).isEqualTo("flux");
        assertThat(created.json().path("cost").path("reserved").asLong())
                .as("5 hundred steps at 25, the dearest trainer of the chain").isEqualTo(125);
        String id = created.json().path("id").asText();

        JsonNode training = ended("/v1/trainings/" + id, key);
        assertThat(training.path("status").asText()).as(training.toString()).isEqualTo("succeeded");
        assertThat(training.path("model_actual").asText()).isEqualTo("flux-lora-fal");
        assertThat(training.path("cost").path("charged").asLong()).as("5 hundred steps at fal's 20").isEqualTo(100);
        String model = training.path("fine_tuned_model").asText();
        assertThat(model).startsWith("ft_");
        List<String> falTrainings = providers.acceptedFor("flux", id);
        assertThat(falTrainings).hasSize(1);
        JsonNode weights = training.path("outputs").get(0);
        assertThat(weights.path("content_type").asText()).isEqualTo("application/octet-stream");
        assertThat(SampleMedia.trainingOf(download(weights.path("url").asText())))
                .as("the weights, copied into the gateway's bucket").contains(falTrainings.get(0));

        JsonNode listed = api.get("/v1/models", key).json().path("data");
        JsonNode own = null;
        for (JsonNode m : listed) {
            if (m.path("id").asText().equals(model)) {
                own = m;
            }
        }
        assertThat(own).as("the tenant's models are listed beside the catalogue: " + listed).isNotNull();
        assertThat(own.path("status").asText()).isEqualTo("ready");
        assertThat(own.path("base_model").asText()).isEqualTo("flux");
        assertThat(own.path("owned_by").asText()).isEqualTo("tenant");
        assertThat(own.path("created_at").asText()).isNotBlank();

        Api.Response generation = api.post("/v1/images/generations", key,
                "{\"model\":\"" + model + "\",\"prompt\":\"a sksmug on a beach\"}");
        assertThat(generation.status()).as(generation.toString()).isEqualTo(202);
        JsonNode generated = api.awaitJob(generation.json().path("id").asText(), key,
                j -> j.path("status").asText().matches("succeeded|failed|canceled"), Duration.ofSeconds(60));
        assertThat(generated.path("status").asText()).as(generated.toString()).isEqualTo("succeeded");
        assertThat(generated.path("model").asText()).isEqualTo(model);
        assertThat(generated.path("model_actual").asText()).isEqualTo("flux");
        assertThat(providers.weightsSeen("flux")).as("fal's LoRA endpoint loaded the trained weights")
                .contains(falTrainings.get(0));

        String stranger = cloud.issueKey("training-stranger", "pro").value();
        Api.Response foreign = api.post("/v1/images/generations", stranger,
                "{\"model\":\"" + model + "\",\"prompt\":\"a sksmug on a beach\"}");
        assertThat(foreign.status()).as(foreign.toString()).isEqualTo(404);
        assertThat(foreign.json().path("error").path("param").asText()).isEqualTo("model");
        assertThat(foreign.toString()).doesNotContain("training-owner");
        assertThat(api.get("/v1/models", stranger).json().path("data").toString()).doesNotContain(model);
        assertThat(api.get("/v1/trainings/" + id, stranger).status()).isEqualTo(404);
    }

    @Test
    void aTrainingFailsOverToReplicatesTrainingsApiAndItsWeightsRunOnFalsLoraEndpoint() throws Exception {
        trainingTakes("sdxl", 2_000);
        providers.configure("flux", JSON.createObjectNode().put("mode", "down"));
        String key = cloud.issueKey("training-failover", "pro").value();
        Api.Response created = api.post("/v1/trainings", key, trainingBody(images(key, 5), ""));
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        String id = created.json().path("id").asText();

        JsonNode training = ended("/v1/trainings/" + id, key);
        assertThat(training.path("status").asText()).as(training.toString()).isEqualTo("succeeded");
        assertThat(training.path("model_actual").asText()).isEqualTo("flux-lora-replicate");
        assertThat(training.path("failover_used").asBoolean()).isTrue();
        List<String> replicateTrainings = providers.acceptedFor("sdxl", id);
        assertThat(replicateTrainings).hasSize(1);
        assertThat(training.path("outputs").get(0).path("content_type").asText()).isEqualTo("application/x-tar");

        providers.configure("flux", JSON.createObjectNode().put("mode", "up").put("latency_ms", 200));
        Api.Response generation = api.post("/v1/images/generations", key,
                "{\"model\":\"" + training.path("fine_tuned_model").asText() + "\",\"prompt\":\"a sksmug\"}");
        JsonNode generated = api.awaitJob(generation.json().path("id").asText(), key,
                j -> j.path("status").asText().matches("succeeded|failed|canceled"), Duration.ofSeconds(60));
        assertThat(generated.path("status").asText()).as(generated.toString()).isEqualTo("succeeded");
        assertThat(providers.weightsSeen("flux")).contains(replicateTrainings.get(0));
    }

    @Test
    void threeTrainingsAtOnceRunTwoAndTheThirdWaitsQueuedUntilASlotFrees() {
        trainingTakes("flux", 600_000);
        String key = cloud.issueKey("training-three", "pro").value();
        List<String> images = images(key, 4);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Api.Response created = api.post("/v1/trainings", key, trainingBody(images, ""));
            assertThat(created.status()).as(created.toString()).isEqualTo(202);
            ids.add(created.json().path("id").asText());
        }
        await("two of the three trainings run").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> ids.stream().filter(id -> providers.submissionsFor("flux", id) == 1).count() == 2);
        String waiting = ids.stream().filter(id -> providers.submissionsFor("flux", id) == 0).findFirst().orElseThrow();
        JsonNode quota = api.get("/v1/quota", key).json();
        assertThat(quota.path("concurrent_trainings").toString()).isEqualTo("{\"limit\":2,\"active\":2}");
        // Its queue hands it to the dispatcher again every few seconds; it stays queued, never refused, while two run.
        await("the third stays queued while two run").during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> api.get("/v1/trainings/" + waiting, key).json().path("status").asText().equals("queued")
                        && providers.submissionsFor("flux", waiting) == 0);

        String running = ids.stream().filter(id -> !id.equals(waiting)).findFirst().orElseThrow();
        assertThat(api.delete("/v1/trainings/" + running, key).status()).isEqualTo(200);
        await("the waiting training starts once a slot frees").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300)).until(() -> providers.submissionsFor("flux", waiting) == 1);
        cancelAll(key, ids);
    }

    @Test
    void theSixthTrainingInAnHourIsRefusedWith429NamingTheRule() {
        trainingTakes("flux", 600_000);
        String key = cloud.issueKey("training-six", "pro").value();
        List<String> images = images(key, 4);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Api.Response created = api.post("/v1/trainings", key, trainingBody(images, ""));
            assertThat(created.status()).as("training " + (i + 1) + ": " + created).isEqualTo(202);
            ids.add(created.json().path("id").asText());
        }
        Api.Response sixth = api.post("/v1/trainings", key, trainingBody(images, ""));
        assertThat(sixth.status()).as(sixth.toString()).isEqualTo(429);
        assertThat(sixth.json().path("error").path("rule").asText()).isEqualTo("training_requests_per_hour");
        assertThat(sixth.header("Retry-After")).isNotBlank();
        cancelAll(key, ids);
    }

    @Test
    void aRunningTrainingIsCancelledAtItsProviderAndChargedTheWorkStarted() {
        trainingTakes("flux", 600_000);
        String key = cloud.issueKey("training-cancel", "pro").value();
        Api.Response created = api.post("/v1/trainings", key, trainingBody(images(key, 4), ""));
        String id = created.json().path("id").asText();
        await("the trainer accepts the training").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.get("/v1/trainings/" + id, key).json().path("status").asText().equals("running")
                        && providers.submissionsFor("flux", id) == 1);
        long cancelledBefore = providers.cancellations("flux");

        Api.Response cancelled = api.delete("/v1/trainings/" + id, key);
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        assertThat(cancelled.json().path("status").asText()).isEqualTo("canceled");
        await("fal is asked to cancel the training").atMost(Duration.ofSeconds(30))
                .until(() -> providers.cancellations("flux") > cancelledBefore);
        JsonNode ended = api.get("/v1/trainings/" + id, key).json();
        assertThat(ended.path("fine_tuned_model").isNull()).isTrue();
        assertThat(ended.path("cost").path("charged").asLong()).as("the trainer bills work it started").isEqualTo(100);
        assertThat(api.delete("/v1/trainings/" + id, key).status()).isEqualTo(409);
    }

    @Test
    void aTrainingStillRunningAtItsCancelAfterDeadlineIsCancelledAtItsTrainerAndABadValueIsA400NamingTheHeader() {
        trainingTakes("flux", 600_000);
        String key = cloud.issueKey("training-deadline", "pro").value();
        List<String> images = images(key, 4);
        Api.Response refused = api.post("/v1/trainings", key, trainingBody(images, ""),
                java.util.Map.of("Cancel-After", "soon"));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.json().path("error").path("param").asText()).isEqualTo("Cancel-After");

        long cancelledBefore = providers.cancellations("flux");
        Api.Response created = api.post("/v1/trainings", key, trainingBody(images, ""),
                java.util.Map.of("Cancel-After", "8s"));
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        assertThat(created.json().path("cancel_after").asLong()).isEqualTo(8);
        String id = created.json().path("id").asText();
        JsonNode ended = ended("/v1/trainings/" + id, key);
        assertThat(ended.path("status").asText()).as(ended.toString()).isEqualTo("canceled");
        assertThat(ended.path("error").path("code").asText()).isEqualTo("deadline_exceeded");
        assertThat(ended.path("fine_tuned_model").isNull()).isTrue();
        await("fal is asked to cancel the training").atMost(Duration.ofSeconds(30))
                .until(() -> providers.cancellations("flux") > cancelledBefore);
    }
}
