package run.creativeai.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Workflows through the client, against a scripted API on loopback: the create's body and headers, reading one back, waiting, cancelling. */
class WorkflowsTest {
    private final ScriptedApi api = new ScriptedApi();
    private final FakeTime time = new FakeTime();
    private final CreativeAiClient client = CreativeAiClient.builder().baseUrl(api.url()).apiKey("sk-test")
            .clock(time).sleeper(time).random(() -> 0).idempotencyKeys(() -> "key-1").build();

    @AfterEach
    void stop() {
        api.close();
    }

    private static String workflow(String status, String still, String clip, String error) {
        return "{\"id\":\"wf_1\",\"object\":\"workflow\",\"status\":\"" + status + "\",\"created_at\":\"2026-12-05T10:00:00Z\","
                + "\"cancel_after\":60,\"deadline\":\"2026-12-05T10:01:00Z\",\"error\":" + error + ",\"steps\":["
                + "{\"id\":\"still\",\"operation\":\"text-to-image\",\"model\":\"seedream\",\"depends_on\":[]," + still + "},"
                + "{\"id\":\"clip\",\"operation\":\"image-to-video\",\"model\":\"kling\",\"depends_on\":[\"still\"]," + clip + "}]}";
    }

    private static final String WAITING = "\"job_id\":null,\"status\":\"waiting\",\"outputs\":[]";

    private static WorkflowRequest stillThenClip() {
        return WorkflowRequest.builder()
                .step("still", ImageRequest.builder("seedream").operation("text-to-image").prompt("a lighthouse").build())
                .step("clip", VideoRequest.builder("kling").operation("image-to-video").prompt("the light turns")
                        .image(WorkflowRequest.output("still", 0)).duration(5).build())
                .webhookUrl("https://hooks.example.com/wf")
                .build();
    }

    @Test
    void aCreateSendsItsStepsWithTheirReferencesAKeyAndTheDeadlineAndReadsTheQueuedWorkflow() {
        api.then(202, workflow("queued", WAITING, WAITING, "null"));

        Workflow created = client.createWorkflow(stillThenClip(),
                RequestOptions.DEFAULT.withCancelAfter(Duration.ofMinutes(1)).withPreferWait(Duration.ofSeconds(10)));

        ScriptedApi.Received sent = api.received().get(0);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/v1/workflows");
        assertThat(sent.header("Cancel-After")).isEqualTo("60");
        assertThat(sent.header("Idempotency-Key")).isEqualTo("key-1");
        assertThat(sent.header("Prefer")).as("a workflow's create does not wait").isNull();
        JsonNode body = Json.parse(sent.body());
        assertThat(body.path("steps")).hasSize(2);
        assertThat(body.path("steps").get(0).path("id").asText()).isEqualTo("still");
        assertThat(body.path("steps").get(0).path("operation").asText()).isEqualTo("text-to-image");
        assertThat(body.path("steps").get(1).path("image").asText()).isEqualTo("{{still.outputs[0]}}");
        assertThat(body.path("steps").get(1).path("duration").asInt()).isEqualTo(5);
        assertThat(body.path("webhook_url").asText()).isEqualTo("https://hooks.example.com/wf");

        assertThat(created.id()).isEqualTo("wf_1");
        assertThat(created.status()).isEqualTo(WorkflowStatus.QUEUED);
        assertThat(created.cancelAfter()).contains(Duration.ofSeconds(60));
        assertThat(created.deadline()).contains(Instant.parse("2026-12-05T10:01:00Z"));
        assertThat(created.step("clip")).hasValueSatisfying(s -> {
            assertThat(s.dependsOn()).containsExactly("still");
            assertThat(s.generationId()).isEmpty();
            assertThat(s.status()).isEqualTo("waiting");
        });
    }

    @Test
    void aWaitPollsTheWorkflowWithBackoffUntilItEndsAndGivesEachStepsGenerationAndOutputs() {
        String running = "\"job_id\":\"gen_a\",\"status\":\"running\",\"outputs\":[]";
        String still = "\"job_id\":\"gen_a\",\"status\":\"succeeded\",\"outputs\":[{\"url\":\"https://out.example/a.png\","
                + "\"content_type\":\"image/png\",\"size_bytes\":10,\"sha256\":\"ab\"}]";
        String canceled = "\"job_id\":\"gen_b\",\"status\":\"canceled\",\"outputs\":[],\"error\":{\"code\":\"deadline_exceeded\","
                + "\"message\":\"the job did not finish before its Cancel-After deadline\"}";
        String failure = "{\"code\":\"deadline_exceeded\",\"message\":\"step 'clip' canceled: the job did not finish\"}";
        api.then(200, workflow("running", running, WAITING, "null"))
                .then(200, workflow("running", still, WAITING, "null"))
                .then(200, workflow("failed", still, canceled, failure));

        Workflow ended = client.waitForWorkflow("wf_1", Duration.ofMinutes(2));

        assertThat(api.received()).extracting(ScriptedApi.Received::path).containsOnly("/v1/workflows/wf_1");
        assertThat(time.sleeps()).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(ended.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(ended.isTerminal()).isTrue();
        assertThat(ended.failure()).hasValueSatisfying(f -> assertThat(f.code()).isEqualTo("deadline_exceeded"));
        assertThat(ended.step("still")).hasValueSatisfying(s -> {
            assertThat(s.generationId()).contains("gen_a");
            assertThat(s.outputs()).singleElement().satisfies(o -> assertThat(o.url().toString())
                    .isEqualTo("https://out.example/a.png"));
        });
        assertThat(ended.step("clip")).hasValueSatisfying(s -> assertThat(s.failure())
                .hasValueSatisfying(f -> assertThat(f.code()).isEqualTo("deadline_exceeded")));
    }

    @Test
    void aWaitThatRunsOutGivesTheWorkflowAsLastSeen() {
        for (int i = 0; i < 5; i++) {
            api.then(200, workflow("running", WAITING, WAITING, "null"));
        }
        assertThatThrownBy(() -> client.waitForWorkflow("wf_1", Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(WaitTimeoutException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("workflow wf_1 is still running after PT1S");
                    assertThat(e.lastSeenWorkflow().status()).isEqualTo(WorkflowStatus.RUNNING);
                    assertThatThrownBy(e::lastSeen).isInstanceOf(IllegalStateException.class);
                });
    }

    @Test
    void aCancelDeletesTheWorkflowAndACancelOfAnEndedOneIsA409() {
        api.then(200, workflow("canceled", WAITING, WAITING, "null"))
                .then(409, ScriptedApi.error("invalid_request_error", "workflow_ended", "workflow wf_1 has already ended", null));

        assertThat(client.cancelWorkflow("wf_1").status()).isEqualTo(WorkflowStatus.CANCELED);
        assertThat(api.received().get(0).method()).isEqualTo("DELETE");
        assertThat(api.received().get(0).path()).isEqualTo("/v1/workflows/wf_1");
        assertThatThrownBy(() -> client.cancelWorkflow("wf_1")).isInstanceOfSatisfying(InvalidRequestException.class,
                e -> assertThat(e.status()).isEqualTo(409));
    }

    @Test
    void aReferenceCountsOutputsFromZero() {
        assertThat(WorkflowRequest.output("still", 2)).isEqualTo("{{still.outputs[2]}}");
        assertThatThrownBy(() -> WorkflowRequest.output("still", -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(WorkflowRequest.builder().metadata(Map.of("order", "A-1")).build().fields())
                .containsEntry("metadata", Map.of("order", "A-1"));
    }
}
