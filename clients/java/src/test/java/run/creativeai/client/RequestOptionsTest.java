package run.creativeai.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a create's options put on the wire of a scripted server, and what the answer gives back. */
class RequestOptionsTest {
    private final ScriptedApi api = new ScriptedApi();
    private final CreativeAiClient client = CreativeAiClient.builder().baseUrl(api.url()).apiKey("sk-test").build();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aDeadlineGoesAsCancelAfterInWholeSecondsAndTheJobSaysWhenItPasses() {
        api.then(202, ScriptedApi.job("gen_1", "queued").replace("\"started_at\":null",
                "\"cancel_after\":300,\"deadline\":\"2026-12-05T10:05:00Z\",\"started_at\":null"))
                .then(202, ScriptedApi.job("gen_2", "queued"));

        Generation job = client.create(ImageRequest.of("sdxl", "a fox"), RequestOptions.DEFAULT.withCancelAfter(Duration.ofMinutes(5)));
        Generation other = client.create(ImageRequest.of("sdxl", "a hare"),
                RequestOptions.DEFAULT.withCancelAfter(Duration.ofMillis(4_500)));

        assertThat(api.received()).extracting(r -> r.header("Cancel-After")).containsExactly("300", "5");
        assertThat(job.deadline()).contains(Instant.parse("2026-12-05T10:05:00Z"));
        assertThat(other.deadline()).as("no deadline in its answer").isEmpty();
    }

    @Test
    void aDeadlineThatIsNotAfterTheCreateIsRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> RequestOptions.DEFAULT.withCancelAfter(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RequestOptions.DEFAULT.withCancelAfter(Duration.ofSeconds(-5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(api.received()).isEmpty();
    }
}
