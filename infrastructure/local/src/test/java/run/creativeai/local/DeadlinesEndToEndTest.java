package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.billing.Balance;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.local.services.WebhookReceiver;

/**
 * {@code Cancel-After} through HTTP, as Replicate's customers know it: a job still queued when its
 * deadline passes is aborted before any provider hears of it and costs nothing; one a provider is
 * working on is cancelled there and charged as any cancel; a workflow's bounds the whole workflow,
 * every step carrying it from the create; a value the API cannot take is a 400 naming the header.
 */
@ExtendWith(LocalCloudExtension.class)
class DeadlinesEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration JOB = Duration.ofSeconds(60);
    private static final String KLING = "{\"model\":\"kling\",\"prompt\":\"waves\",\"duration\":5}";
    private static LocalCloud cloud;
    private static Api api;
    private JsonNode klingBefore;

    @BeforeAll
    static void start(LocalCloud localCloud) {
        cloud = localCloud;
        api = new Api(cloud);
    }

    /** Kling as its seed has it (45 s a video, always up), whatever an earlier test left; put back afterwards. */
    @BeforeEach
    void klingTakesItsSeedsTime() {
        JsonNode previous = cloud.services().providers().describeAll().path("kling");
        klingBefore = JSON.createObjectNode().put("mode", previous.path("mode").asText())
                .set("latency_ms", previous.path("latency_ms"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) klingBefore).put("failure_rate",
                previous.path("failure_rate").asDouble());
        assertThat(cloud.services().providers().configure("kling", JSON.createObjectNode().put("mode", "up")
                .put("latency_ms", 45_000).put("failure_rate", 0.0))).isPresent();
    }

    @AfterEach
    void klingAsItWas() {
        cloud.services().providers().configure("kling", klingBefore);
    }

    private static String tenantWith(String name, long credits) {
        String key = cloud.issueKey(name, "pro").value();
        cloud.accounts().setCredits(new TenantId(name), credits, "deadlines test");
        return key;
    }

    private static String video(String key, Map<String, String> headers, String body) {
        Api.Response created = api.post("/v1/video/generations", key, body, headers);
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        return created.json().path("id").asText();
    }

    private static JsonNode awaitStatus(String id, String key, String status) {
        return api.awaitJob(id, key, j -> j.path("status").asText().equals(status), JOB);
    }

    private static long klingCounter(String counter) {
        return cloud.services().providers().describeAll().path("kling").path(counter).asLong();
    }

    private static void awaitSettled(String tenant, Balance expected) {
        await("the balance of " + tenant + " settles to " + expected).atMost(JOB).pollInterval(Duration.ofMillis(200))
                .until(() -> cloud.accounts().show(new TenantId(tenant)).balance().equals(expected));
    }

    @Test
    void aJobStillQueuedAtItsDeadlineIsAbortedWithoutAProviderCallAndRefundedInFull() {
        String tenant = "deadline-queued-" + System.nanoTime();
        String key = tenantWith(tenant, 1_000);
        // One video at a time for this tenant: the second waits in its queue behind the first.
        cloud.accounts().setLimit(new TenantId(tenant), "concurrent_video_jobs", "1", "deadlines test");
        long before = klingCounter("submitted");
        String first = video(key, Map.of(), KLING);
        await("kling accepted the first video").atMost(JOB).pollInterval(Duration.ofMillis(100))
                .until(() -> klingCounter("submitted") > before);
        long submitted = klingCounter("submitted");

        Api.Response created = api.post("/v1/video/generations", key, KLING, Map.of("Cancel-After", "5s"));
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        assertThat(created.json().path("cancel_after").asLong()).isEqualTo(5);
        assertThat(Instant.parse(created.json().path("deadline").asText()))
                .as("measured from admission").isEqualTo(Instant.parse(created.json().path("created_at").asText()).plusSeconds(5));
        String waiting = created.json().path("id").asText();

        JsonNode aborted = awaitStatus(waiting, key, "aborted");
        assertThat(aborted.path("attempts")).as("no provider was tried").isEmpty();
        assertThat(aborted.path("started_at").isNull()).isTrue();
        assertThat(aborted.path("error").path("code").asText()).isEqualTo("deadline_exceeded");
        assertThat(aborted.path("cost").toString())
                .isEqualTo("{\"currency\":\"credits\",\"reserved\":250,\"charged\":0,\"refunded\":250}");
        assertThat(klingCounter("submitted")).as("kling received no request for the aborted job").isEqualTo(submitted);

        assertThat(api.delete("/v1/generations/" + first, key).status()).isEqualTo(200);
        // The first was cancelled while kling worked on it (250 charged); the aborted one cost nothing.
        awaitSettled(tenant, new Balance(750, 0));
    }

    @Test
    void aJobStillRunningAtItsDeadlineIsCancelledAtItsProviderChargedAsACancelAndItsWebhookSaysSo() throws Exception {
        String tenant = "deadline-running-" + System.nanoTime();
        String key = tenantWith(tenant, 1_000);
        String hook = "/" + tenant;
        long canceledAtKling = klingCounter("canceled");
        // Kling takes its seed's 45 s a video: a 10 s deadline passes while it works.
        String id = video(key, Map.of("Cancel-After", "10"), "{\"model\":\"kling\",\"prompt\":\"waves\",\"duration\":5,"
                + "\"webhook_url\":\"" + cloud.apiUrl() + "/_local/webhooks" + hook + "\"}");
        awaitStatus(id, key, "running");

        JsonNode canceled = awaitStatus(id, key, "canceled");
        assertThat(canceled.path("error").path("code").asText()).isEqualTo("deadline_exceeded");
        assertThat(canceled.path("cancel_after").asLong()).isEqualTo(10);
        assertThat(canceled.path("attempts").get(canceled.path("attempts").size() - 1).path("outcome").asText())
                .isEqualTo("canceled");
        assertThat(canceled.path("cost").toString()).as("kling had started the work")
                .isEqualTo("{\"currency\":\"credits\",\"reserved\":250,\"charged\":250,\"refunded\":0}");
        await("kling is told to cancel the job").atMost(JOB).pollInterval(Duration.ofMillis(200))
                .until(() -> klingCounter("canceled") > canceledAtKling);
        awaitSettled(tenant, new Balance(750, 0));

        WebhookReceiver.Delivery delivery = cloud.services().webhooks().await(d -> d.path().equals(hook), 1, JOB).get(0);
        JsonNode event = JSON.readTree(delivery.bodyText());
        assertThat(event.path("type").asText()).isEqualTo("generation.canceled");
        assertThat(event.path("data").path("deadline").asText()).isEqualTo(canceled.path("deadline").asText());
    }

    @Test
    void aWorkflowsDeadlineRunsFromItsCreateThroughEveryStepAndAWorkflowPastItFails() {
        String tenant = "deadline-workflow-" + System.nanoTime();
        String key = tenantWith(tenant, 1_000);
        // The still takes seedream's second or two; the clip, admitted once the still has succeeded,
        // takes kling's 45 s, so its 10 s pass while kling works on it.
        Api.Response created = api.post("/v1/workflows", key, "{\"steps\":["
                + "{\"id\":\"still\",\"operation\":\"text-to-image\",\"model\":\"seedream\",\"prompt\":\"a lighthouse\"},"
                + "{\"id\":\"clip\",\"operation\":\"image-to-video\",\"model\":\"kling\",\"prompt\":\"the light turns\","
                + "\"image\":\"{{still.outputs[0]}}\",\"duration\":5}]}", Map.of("Cancel-After", "10s"));
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        assertThat(created.json().path("cancel_after").asLong()).isEqualTo(10);
        Instant deadline = Instant.parse(created.json().path("created_at").asText()).plusSeconds(10);
        assertThat(Instant.parse(created.json().path("deadline").asText())).isEqualTo(deadline);
        String id = created.json().path("id").asText();

        JsonNode failed = api.awaitWorkflow(id, key, w -> w.path("status").asText().equals("failed"), JOB);
        assertThat(failed.path("error").path("code").asText()).isEqualTo("deadline_exceeded");
        JsonNode still = failed.path("steps").get(0);
        JsonNode clip = failed.path("steps").get(1);
        assertThat(still.path("status").asText()).isEqualTo("succeeded");
        assertThat(clip.path("status").asText()).isEqualTo("canceled");
        assertThat(clip.path("error").path("code").asText()).isEqualTo("deadline_exceeded");

        JsonNode stillJob = api.get("/v1/generations/" + still.path("job_id").asText(), key).json();
        JsonNode clipJob = api.get("/v1/generations/" + clip.path("job_id").asText(), key).json();
        assertThat(stillJob.path("cancel_after").asLong()).isEqualTo(10);
        assertThat(clipJob.path("cancel_after").asLong()).isEqualTo(10);
        Instant clipAdmitted = Instant.parse(clipJob.path("created_at").asText());
        assertThat(clipAdmitted).as("the clip was admitted once the still had succeeded")
                .isAfterOrEqualTo(Instant.parse(stillJob.path("finished_at").asText()));
        assertThat(Instant.parse(clipJob.path("deadline").asText())).as("the workflow's, not 10 s from the clip's admission")
                .isEqualTo(deadline).isBefore(clipAdmitted.plusSeconds(10));
        assertThat(Instant.parse(stillJob.path("deadline").asText())).isEqualTo(deadline);
        assertThat(Instant.parse(clipJob.path("finished_at").asText())).as("stopped at the deadline")
                .isAfterOrEqualTo(deadline);
    }

    @Test
    void aCancelAfterTheApiCannotTakeIsA400NamingTheHeaderOnEveryCreateRoute() {
        String tenant = "deadline-bad-" + System.nanoTime();
        String key = tenantWith(tenant, 1_000);
        for (String value : List.of("soon", "0", "-5s", "4s", "1.5h", "25h")) {
            Api.Response refused = api.post("/v1/images/generations", key, "{\"model\":\"sdxl\",\"prompt\":\"x\"}",
                    Map.of("Cancel-After", value));
            assertThat(refused.status()).as(value + ": " + refused).isEqualTo(400);
            assertThat(refused.json().path("error").path("param").asText()).isEqualTo("Cancel-After");
            assertThat(refused.json().path("error").path("message").asText()).startsWith("Cancel-After ");
        }
        Api.Response batch = api.post("/v1/generations/batch", key,
                "{\"tasks\":[{\"kind\":\"image\",\"model\":\"sdxl\",\"prompt\":\"x\"}]}", Map.of("Cancel-After", "soon"));
        assertThat(batch.status()).as(batch.toString()).isEqualTo(400);
        assertThat(batch.json().path("error").path("param").asText()).isEqualTo("Cancel-After");
        Api.Response workflow = api.post("/v1/workflows", key,
                "{\"steps\":[{\"id\":\"a\",\"operation\":\"text-to-image\",\"model\":\"sdxl\",\"prompt\":\"x\"}]}",
                Map.of("Cancel-After", "4s"));
        assertThat(workflow.status()).as(workflow.toString()).isEqualTo(400);
        assertThat(workflow.json().path("error").path("param").asText()).isEqualTo("Cancel-After");
        assertThat(cloud.accounts().show(new TenantId(tenant)).balance()).as("nothing was reserved")
                .isEqualTo(new Balance(1_000, 0));

        Api.Response timed = api.post("/v1/generations/batch", key,
                "{\"tasks\":[{\"kind\":\"image\",\"model\":\"sdxl\",\"prompt\":\"x\"}]}", Map.of("Cancel-After", "1m"));
        assertThat(timed.json().path("results").get(0).path("job").path("cancel_after").asLong())
                .as("a batch's deadline holds for each task: " + timed).isEqualTo(60);
    }
}
