package run.creativeai.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Trainings through the client, against a scripted API on loopback: the create, the wait, the model it made, the cancel. */
class TrainingsTest {
    private final ScriptedApi api = new ScriptedApi();
    private final FakeTime time = new FakeTime();
    private final CreativeAiClient client = CreativeAiClient.builder().baseUrl(api.url()).apiKey("sk-test")
            .clock(time).sleeper(time).random(() -> 0).idempotencyKeys(() -> "key-1").build();

    @AfterEach
    void stop() {
        api.close();
    }

    private static String training(String status, String model) {
        return "{\"id\":\"gen_t\",\"object\":\"training\",\"kind\":\"training\",\"status\":\"" + status + "\",\"model\":\"flux\","
                + "\"model_actual\":null,\"failover_used\":false,\"outputs\":[],\"error\":null,"
                + (model == null ? "" : "\"fine_tuned_model\":\"" + model + "\",")
                + "\"cost\":{\"currency\":\"credits\",\"reserved\":125,\"charged\":null,\"refunded\":null},"
                + "\"created_at\":\"2026-12-05T10:00:00Z\",\"started_at\":null,\"finished_at\":null}";
    }

    @Test
    void aTrainingIsCreatedWithItsImagesAndWaitedForUntilItNamesItsModel() {
        api.then(202, training("queued", null)).then(200, training("running", null))
                .then(200, training("succeeded", "ft_abc"));

        Generation created = client.createTraining(TrainingRequest.builder("flux")
                .images(List.of("upl_1", "upl_2", "upl_3", "upl_4")).triggerWord("sksmug").steps(500).build(),
                RequestOptions.DEFAULT.withCancelAfter(Duration.ofHours(1)));
        Generation done = client.waitForTraining(created.id(), Duration.ofMinutes(10));

        ScriptedApi.Received sent = api.received().get(0);
        assertThat(sent.path()).isEqualTo("/v1/trainings");
        assertThat(sent.header("Idempotency-Key")).isEqualTo("key-1");
        assertThat(sent.header("Cancel-After")).isEqualTo("3600");
        JsonNode body = Json.parse(sent.body());
        assertThat(body.path("base_model").asText()).isEqualTo("flux");
        assertThat(Json.texts(body, "images")).containsExactly("upl_1", "upl_2", "upl_3", "upl_4");
        assertThat(body.path("trigger_word").asText()).isEqualTo("sksmug");
        assertThat(body.path("steps").asInt()).isEqualTo(500);
        assertThat(created.kind()).isEqualTo("training");
        assertThat(created.fineTunedModel()).isEmpty();
        assertThat(api.received().subList(1, 3)).extracting(ScriptedApi.Received::path)
                .containsOnly("/v1/trainings/gen_t");
        assertThat(done.status()).isEqualTo(GenerationStatus.SUCCEEDED);
        assertThat(done.fineTunedModel()).contains("ft_abc");
    }

    @Test
    void aWaitThatRunsOutNamesATraining() {
        for (int i = 0; i < 5; i++) {
            api.then(200, training("running", null));
        }
        assertThatThrownBy(() -> client.waitForTraining("gen_t", Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(WaitTimeoutException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("training gen_t is still running after PT1S");
                    assertThat(e.lastSeen().kind()).isEqualTo("training");
                });
    }

    @Test
    void aCancelDeletesTheTraining() {
        api.then(200, training("canceled", null));
        assertThat(client.cancelTraining("gen_t").status()).isEqualTo(GenerationStatus.CANCELED);
        assertThat(api.received()).last().satisfies(r -> {
            assertThat(r.method()).isEqualTo("DELETE");
            assertThat(r.path()).isEqualTo("/v1/trainings/gen_t");
        });
    }
}
