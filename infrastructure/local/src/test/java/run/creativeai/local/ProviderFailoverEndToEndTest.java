package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.local.services.SimulatedProviders;

/**
 * Failover as a customer sees it, across providers and protocols (Seedance speaks Replicate's API,
 * Vidu fal's), and the shared circuit that stops calling a dead provider.
 */
@ExtendWith(LocalCloudExtension.class)
class ProviderFailoverEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalCloud cloud;
    private static Api api;
    private static SimulatedProviders providers;

    @BeforeAll
    static void start(LocalCloud localCloud) {
        cloud = localCloud;
        api = new Api(cloud);
        providers = cloud.services().providers();
    }

    /**
     * Five failures in a row open seedance's circuit, and a job that finds it open passes it over
     * without a call. The circuit's cool-down in the tests is short (a probe may follow it, one per
     * cool-down), so the calls are counted against the jobs that made them, not against a number
     * that only a fast machine would reach.
     */
    @Test
    void aDeadFirstLinkIsSkippedOnceItsCircuitOpensAndEveryJobStillSucceeds() throws Exception {
        providers.configure("vidu", JSON.readTree("{\"latency_ms\":100}"));
        var key = cloud.issueKey("failover-circuit", "enterprise");
        // Whatever earlier tests left in seedance's circuit, a success closes it with no failure counted.
        providers.configure("seedance", JSON.readTree("{\"latency_ms\":100}"));
        await("a job served by seedance closes its circuit").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).until(() -> awaitAll(List.of(create(key.value(), "closing")),
                        key.value()).get(0).path("model_actual").asText().equals("seedance"));
        providers.configure("seedance", JSON.readTree("{\"mode\":\"down\",\"latency_ms\":null}"));
        long callsBefore = providers.requests("seedance");
        try {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ids.add(create(key.value(), "waves " + i));
                if (i == 4) {
                    awaitAll(ids, key.value());
                }
            }
            List<JsonNode> jobs = awaitAll(ids, key.value());
            assertThat(jobs).allSatisfy(job -> {
                assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
                assertThat(job.path("model_actual").asText()).isEqualTo("vidu");
                assertThat(job.path("failover_used").asBoolean()).isTrue();
            });
            List<JsonNode> passedOver = jobs.stream()
                    .filter(j -> j.path("attempts").get(0).path("detail").asText().contains("circuit open")).toList();
            assertThat(jobs.subList(0, 5)).as("the five failures that open the circuit").doesNotContainAnyElementsOf(passedOver);
            assertThat(passedOver).as("later jobs that found the circuit open").isNotEmpty();
            assertThat(providers.requests("seedance") - callsBefore)
                    .as("calls that reached the dead provider: one per job that did not find its circuit open")
                    .isEqualTo(jobs.size() - passedOver.size());
        } finally {
            providers.configure("seedance", JSON.readTree("{\"mode\":\"up\"}"));
        }
    }

    private static String create(String key, String prompt) {
        Api.Response created = api.post("/v1/video/generations", key,
                "{\"model\":\"seedance\",\"prompt\":\"" + prompt + "\",\"duration\":5}");
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        return created.json().path("id").asText();
    }

    @Test
    void aProviderAnsweringGarbageAtTheEndOfItsChainFailsTheJobSayingWhy() throws Exception {
        providers.configure("sdxl", JSON.readTree("{\"mode\":\"garbage\"}"));
        var key = cloud.issueKey("failover-protocols", "pro");
        try {
            String id = api.post("/v1/images/generations", key.value(), "{\"model\":\"sdxl\",\"prompt\":\"fox\"}")
                    .json().path("id").asText();
            JsonNode job = api.awaitJob(id, key.value(), j -> j.path("status").asText().matches("succeeded|failed"),
                    Duration.ofSeconds(30));
            assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("failed");
            assertThat(job.path("error").path("code").asText())
                    .as("sdxl is the last link of its chain").isEqualTo("providers_unavailable");
            assertThat(job.path("attempts").get(0).path("detail").asText()).startsWith("malformed_response");
        } finally {
            providers.configure("sdxl", JSON.readTree("{\"mode\":\"up\"}"));
        }
    }

    @Test
    void aReplicateProviderAnnouncesTheEndOfEachJobThroughAVerifiedCallback() throws Exception {
        providers.configure("seedream", JSON.readTree("{\"latency_ms\":300}"));
        var key = cloud.issueKey("provider-callbacks", "pro");
        long acceptedBefore = providers.callbacksAccepted("seedream");
        String id = api.post("/v1/images/generations", key.value(), "{\"model\":\"seedream\",\"prompt\":\"owl\"}")
                .json().path("id").asText();
        JsonNode job = api.awaitJob(id, key.value(), j -> j.path("status").asText().equals("succeeded"),
                Duration.ofSeconds(30));
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        // A scheduled check may see the end before the callback does; the callback is still sent and accepted.
        awaitCallbacksAccepted("seedream", acceptedBefore + 1);
        assertThat(providers.callbacksAccepted("seedream") - acceptedBefore)
                .as("callbacks the provider sent that the gateway verified and accepted").isEqualTo(1);
    }

    @Test
    void aFalProviderAnnouncesTheEndOfAVideoThroughAVerifiedEd25519Callback() throws Exception {
        providers.configure("kling", JSON.readTree("{\"latency_ms\":300}"));
        var key = cloud.issueKey("fal-callbacks", "enterprise");
        long acceptedBefore = providers.callbacksAccepted("kling");
        String id = api.post("/v1/video/generations", key.value(), "{\"model\":\"kling\",\"prompt\":\"tide\",\"duration\":5}")
                .json().path("id").asText();
        JsonNode job = api.awaitJob(id, key.value(), j -> j.path("status").asText().equals("succeeded"),
                Duration.ofSeconds(30));
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        awaitCallbacksAccepted("kling", acceptedBefore + 1);
        assertThat(providers.callbacksAccepted("kling") - acceptedBefore).isEqualTo(1);
    }

    private static void awaitCallbacksAccepted(String provider, long atLeast) {
        await(provider + "'s callback is accepted").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> providers.callbacksAccepted(provider) >= atLeast);
    }

    private static List<JsonNode> awaitAll(List<String> ids, String key) {
        List<JsonNode> jobs = new ArrayList<>();
        for (String id : ids) {
            jobs.add(api.awaitJob(id, key, j -> j.path("status").asText().matches("succeeded|failed"),
                    Duration.ofSeconds(60)));
        }
        return jobs;
    }
}
