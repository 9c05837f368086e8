package run.creativeai.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Waiting for a generation's end: the create's own wait, then polls that back off, on a clock that never sleeps. */
class WaitTest {
    private final ScriptedApi api = new ScriptedApi();
    private final FakeTime time = new FakeTime();
    private final CreativeAiClient client = CreativeAiClient.builder().baseUrl(api.url()).apiKey("sk-test")
            .clock(time).sleeper(time).random(() -> 0).build();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void anImageAsksItsCreateToWaitThenPollsWithDoublingIntervalsUntilItEnds() {
        api.then(202, ScriptedApi.job("gen_1", "running"))
                .then(200, ScriptedApi.job("gen_1", "running"))
                .then(200, ScriptedApi.job("gen_1", "running"))
                .then(200, ScriptedApi.job("gen_1", "running"))
                .then(200, ScriptedApi.job("gen_1", "running"))
                .then(200, ScriptedApi.job("gen_1", "running"))
                .then(200, ScriptedApi.job("gen_1", "succeeded"));

        Generation done = client.createAndWait(ImageRequest.of("sdxl", "a fox"), Duration.ofMinutes(2));

        assertThat(done.status()).isEqualTo(GenerationStatus.SUCCEEDED);
        assertThat(api.received().get(0).header("Prefer")).isEqualTo("wait=25");
        assertThat(api.received().subList(1, 7)).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.path()).isEqualTo("/v1/generations/gen_1");
        });
        assertThat(time.sleeps()).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(4), Duration.ofSeconds(5));
    }

    @Test
    void anImageThatEndsWithinItsCreatesWaitIsNotPolled() {
        api.then(200, ScriptedApi.job("gen_1", "succeeded"), "Preference-Applied", "wait=10");
        Generation done = client.createAndWait(ImageRequest.of("sdxl", "a fox"), Duration.ofSeconds(10));
        assertThat(done.status()).isEqualTo(GenerationStatus.SUCCEEDED);
        assertThat(api.received()).singleElement().satisfies(r -> assertThat(r.header("Prefer")).isEqualTo("wait=10"));
    }

    @Test
    void aVideoCreateNeverAsksToWaitSinceVideosTakeMinutes() {
        api.then(202, ScriptedApi.job("gen_1", "queued")).then(200, ScriptedApi.job("gen_1", "failed"));
        Generation done = client.createAndWait(VideoRequest.of("kling", "waves", 5), Duration.ofMinutes(5));
        assertThat(done.status()).isEqualTo(GenerationStatus.FAILED);
        assertThat(api.received().get(0).header("Prefer")).isNull();
    }

    @Test
    void aWaitThatRunsOutSaysSoWithTheJobAsLastSeenAndNeverWaitsPastItsTimeout() {
        for (int i = 0; i < 10; i++) {
            api.then(200, ScriptedApi.job("gen_1", "running"));
        }
        assertThatThrownBy(() -> client.waitFor("gen_1", Duration.ofSeconds(3)))
                .isInstanceOfSatisfying(WaitTimeoutException.class, e -> {
                    assertThat(e.lastSeen().id()).isEqualTo("gen_1");
                    assertThat(e.lastSeen().status()).isEqualTo(GenerationStatus.RUNNING);
                });
        assertThat(time.sleeps()).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(1500));
    }

    @Test
    void aStatusThisClientDoesNotKnowIsNotTakenForAnEnd() {
        api.then(200, ScriptedApi.job("gen_1", "paused")).then(200, ScriptedApi.job("gen_1", "aborted"));
        Generation done = client.waitFor("gen_1", Duration.ofMinutes(1));
        assertThat(done.status()).isEqualTo(GenerationStatus.ABORTED);
        assertThat(done.isTerminal()).isTrue();
    }
}
