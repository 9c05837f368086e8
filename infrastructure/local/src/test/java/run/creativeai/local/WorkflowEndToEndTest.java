package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.local.services.WebhookReceiver;

/**
 * Workflows through HTTP on the local cloud: a prompt made into a still and the still into a clip,
 * the second step given the first step's stored output; a workflow refused whole for one bad
 * reference; a cancel that stops the running step and never starts its dependent; another tenant's
 * workflow a 404.
 */
@ExtendWith(LocalCloudExtension.class)
class WorkflowEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static LocalCloud cloud;
    private static Api api;

    @BeforeAll
    static void start(LocalCloud localCloud) {
        cloud = localCloud;
        api = new Api(cloud);
    }

    private static String stillThenClip(String hook) {
        return "{\"steps\":[{\"id\":\"still\",\"operation\":\"text-to-image\",\"model\":\"seedream\",\"prompt\":\"a lighthouse at dawn\"},"
                + "{\"id\":\"clip\",\"operation\":\"image-to-video\",\"model\":\"kling\",\"prompt\":\"the light turns\","
                + "\"image\":\"{{still.outputs[0]}}\",\"duration\":5}],"
                + "\"webhook_url\":\"" + cloud.apiUrl() + "/_local/webhooks" + hook + "\"}";
    }

    /** Sets a provider's behaviour until closed, then puts the previous settings back. */
    private static AutoCloseable provider(String name, String json) throws Exception {
        JsonNode settings = JSON.readTree(json);
        JsonNode now = cloud.services().providers().describeAll().path(name);
        ObjectNode previous = JSON.createObjectNode();
        settings.fieldNames().forEachRemaining(field -> previous.set(field, now.path(field)));
        cloud.services().providers().configure(name, settings);
        return () -> cloud.services().providers().configure(name, previous);
    }

    private static String create(String key, String body) {
        Api.Response created = api.post("/v1/workflows", key, body);
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        assertThat(created.json().path("id").asText()).startsWith("wf_");
        return created.json().path("id").asText();
    }

    @Test
    void aPromptBecomesAVideoWhoseSecondStepTookTheFirstStepsStoredOutput() throws Exception {
        String key = cloud.issueKey("wf-video-" + System.nanoTime(), "pro").value();
        String hook = "/wf-video-" + System.nanoTime();
        try (AutoCloseable fastKling = provider("kling", "{\"latency_ms\":1500}")) {
            String id = create(key, stillThenClip(hook));
            JsonNode done = api.awaitWorkflow(id, key, w -> w.path("status").asText().equals("succeeded"), TIMEOUT);

            JsonNode still = done.path("steps").get(0);
            JsonNode clip = done.path("steps").get(1);
            assertThat(still.path("status").asText()).isEqualTo("succeeded");
            assertThat(clip.path("status").asText()).isEqualTo("succeeded");
            assertThat(clip.path("depends_on")).extracting(JsonNode::asText).containsExactly("still");
            assertThat(clip.path("outputs").get(0).path("content_type").asText()).isEqualTo("video/mp4");
            String stillJob = still.path("job_id").asText();
            String clipJob = clip.path("job_id").asText();
            // The clip's job names the still's stored output as its image, and Kling downloaded exactly that object.
            JsonNode clipJobView = api.get("/v1/generations/" + clipJob, key).json();
            String stored = "outputs/" + stillJob + "/1/0.png";
            assertThat(clipJobView.path("input").path("image").asText()).isEqualTo(stored);
            assertThat(cloud.services().providers().inputUrlsFetched("kling"))
                    .as("the input URLs Kling fetched").anyMatch(url -> url.contains("/" + stored + "?"));

            List<WebhookReceiver.Delivery> hooks = cloud.services().webhooks().await(d -> d.path().equals(hook), 1, TIMEOUT);
            assertThat(hooks).hasSize(1);
            assertThat(hooks.get(0).header("X-CreativeAI-Event")).isEqualTo("workflow.completed");
            assertThat(hooks.get(0).signedBy()).as("signed with the tenant's secret").isPresent();
            JsonNode event = JSON.readTree(hooks.get(0).body());
            assertThat(event.path("data").path("id").asText()).isEqualTo(id);
            assertThat(event.path("data").path("steps").get(1).path("job_id").asText()).isEqualTo(clipJob);
        }
    }

    @Test
    void twentyOneWorkflowCreatesInAMinuteGiveTwentyAdmissionsAndA429NamingTheRule() {
        String oneStep = "{\"steps\":[{\"id\":\"sketch\",\"operation\":\"text-to-image\",\"model\":\"sdxl\",\"prompt\":\"a sketch\"}]}";
        for (int attempt = 1; attempt <= 3; attempt++) {
            String key = cloud.issueKey("wf-rate-" + attempt + "-" + System.nanoTime(), "pro").value();
            long minute = java.time.Instant.now().getEpochSecond() / 60;
            List<Integer> statuses = new java.util.ArrayList<>();
            Api.Response last = null;
            for (int i = 0; i < 21; i++) {
                last = api.post("/v1/workflows", key, oneStep);
                statuses.add(last.status());
            }
            if (java.time.Instant.now().getEpochSecond() / 60 != minute) {
                continue; // The fixed minute turned during the creates: another tenant tries in one window.
            }
            assertThat(statuses.subList(0, 20)).as(statuses.toString()).containsOnly(202);
            assertThat(last.status()).as(last.toString()).isEqualTo(429);
            assertThat(last.json().path("error").path("rule").asText()).isEqualTo("workflow_requests_per_minute");
            assertThat(last.header("Retry-After")).isNotBlank();
            return;
        }
        throw new AssertionError("every attempt straddled a minute boundary");
    }

    @Test
    void aWorkflowWithAReferenceToAnUnknownStepIsRefusedWholeNamingTheStepAndField() {
        String key = cloud.issueKey("wf-invalid-" + System.nanoTime(), "pro").value();
        Api.Response refused = api.post("/v1/workflows", key, "{\"steps\":["
                + "{\"id\":\"still\",\"operation\":\"text-to-image\",\"model\":\"seedream\",\"prompt\":\"x\"},"
                + "{\"id\":\"clip\",\"operation\":\"image-to-video\",\"model\":\"kling\",\"prompt\":\"y\","
                + "\"image\":\"{{stil.outputs[0]}}\",\"duration\":5}]}");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.json().path("error").path("param").asText()).isEqualTo("steps[1].image");
        assertThat(refused.json().path("error").path("message").asText()).contains("clip").contains("'stil'");
        // Nothing of it was admitted: the key's window counts no generation.
        JsonNode quota = api.get("/v1/quota", key).json();
        assertThat(quota.path("daily_tasks").path("used").asLong()).isZero();
    }

    @Test
    void aCancelStopsTheRunningStepNeverStartsItsDependentAndIsANotFoundForAnotherTenant() throws Exception {
        String key = cloud.issueKey("wf-cancel-" + System.nanoTime(), "pro").value();
        String other = cloud.issueKey("wf-other-" + System.nanoTime(), "pro").value();
        String hook = "/wf-cancel-" + System.nanoTime();
        try (AutoCloseable slowSeedream = provider("seedream", "{\"latency_ms\":60000}")) {
            String id = create(key, stillThenClip(hook));
            api.awaitWorkflow(id, key, w -> w.path("steps").get(0).path("status").asText().equals("running"), TIMEOUT);
            assertThat(api.get("/v1/workflows/" + id, other).status()).isEqualTo(404);
            assertThat(api.delete("/v1/workflows/" + id, other).status()).isEqualTo(404);

            Api.Response canceled = api.delete("/v1/workflows/" + id, key);
            assertThat(canceled.status()).as(canceled.toString()).isEqualTo(200);
            assertThat(canceled.json().path("status").asText()).isEqualTo("canceled");
            JsonNode read = api.get("/v1/workflows/" + id, key).json();
            assertThat(read.path("steps").get(0).path("status").asText()).isEqualTo("canceled");
            assertThat(read.path("steps").get(1).path("status").asText()).isEqualTo("skipped");
            assertThat(read.path("steps").get(1).path("job_id").isNull()).isTrue();
            assertThat(api.delete("/v1/workflows/" + id, key).status()).as("a second cancel").isEqualTo(409);

            List<WebhookReceiver.Delivery> hooks = cloud.services().webhooks().await(d -> d.path().equals(hook), 1, TIMEOUT);
            assertThat(hooks.get(0).header("X-CreativeAI-Event")).isEqualTo("workflow.canceled");
        }
    }
}
