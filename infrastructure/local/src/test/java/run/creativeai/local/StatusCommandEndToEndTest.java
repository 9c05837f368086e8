package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.admin.StatusCommand;
import run.creativeai.gateway.json.Json;

/** The status command against a running local cloud, as an operator runs it: each change is on {@code /v1/status} at once. */
@ExtendWith(LocalCloudExtension.class)
class StatusCommandEndToEndTest {
    private static LocalCloud cloud;
    private static Api api;

    @BeforeAll
    static void start(LocalCloud localCloud) {
        cloud = localCloud;
        api = new Api(cloud);
    }

    private static AdminRun status(String... args) {
        return AdminRun.of(StatusCommand::run, cloud, args);
    }

    private static JsonNode published() {
        Api.Response response = api.send(HttpRequest.newBuilder(api.url("/v1/status")).GET());
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private static JsonNode find(JsonNode list, String id) {
        for (JsonNode item : list) {
            if (item.path("id").asText().equals(id)) {
                return item;
            }
        }
        return null;
    }

    @Test
    void anOperatorsIncidentIsOnTheStatusAtOnceTakesUpdatesAndNoneOnceResolved() {
        AdminRun opened = status("open", "sdxl", "degraded", "Slow SDXL images", "We are looking into slow SDXL jobs.");
        assertThat(opened.status()).as(opened.err()).isZero();
        String id = Json.read(opened.out()).path("id").asText();
        assertThat(id).startsWith("inc_");
        // The API reads the published document at most once a second per instance.
        org.awaitility.Awaitility.await("incident " + id + " on /v1/status").atMost(java.time.Duration.ofSeconds(10))
                .until(() -> find(published().path("incidents").path("active"), id) != null);
        assertThat(find(published().path("components"), "sdxl").path("status").asText()).isEqualTo("degraded");

        AdminRun updated = status("update", id, "identified", "A slow node; traffic moved off it.", "partial_outage");
        assertThat(updated.status()).as(updated.err()).isZero();
        assertThat(Json.read(updated.out()).path("impact").asText()).isEqualTo("partial_outage");

        AdminRun resolved = status("resolve", id, "Back to normal.");
        assertThat(resolved.status()).as(resolved.err()).isZero();
        org.awaitility.Awaitility.await("incident " + id + " in the history").atMost(java.time.Duration.ofSeconds(10))
                .until(() -> find(published().path("incidents").path("resolved"), id) != null);
        JsonNode history = find(published().path("incidents").path("resolved"), id);
        assertThat(history.path("updates")).extracting(u -> u.path("status").asText())
                .containsExactly("investigating", "identified", "resolved");

        AdminRun late = status("update", id, "monitoring", "One more thing.");
        assertThat(late.status()).as("an update of a resolved incident").isEqualTo(1);
        assertThat(late.err()).contains("takes no more updates");
        assertThat(find(published().path("incidents").path("resolved"), id).path("updates")).hasSize(3);
    }

    @Test
    void badInputIsRefusedNamingWhatIsWrongAndChangesNothing() {
        String title = "Refused " + System.nanoTime();
        Instant from = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

        AdminRun unknown = status("open", "sdxl,no-such-model", "degraded", title, "Message");
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).contains("unknown component no-such-model").contains("sdxl");

        AdminRun backwards = status("schedule", "api", from.toString(), from.minusSeconds(3600).toString(), title, "Planned.");
        assertThat(backwards.status()).isEqualTo(1);
        assertThat(backwards.err()).contains("must end after it starts");

        AdminRun notATime = status("schedule", "api", "tomorrow", from.toString(), title, "Planned.");
        assertThat(notATime.status()).isEqualTo(1);
        assertThat(notATime.err()).contains("FROM must be a UTC time");

        AdminRun noSuch = status("resolve", "inc_00000000000000000000000000", "Done.");
        assertThat(noSuch.status()).isEqualTo(1);
        assertThat(noSuch.err()).contains("no incident");

        assertThat(status("open", "api").status()).as("too few arguments").isEqualTo(2);

        assertThat(published().toString()).as("nothing refused was published").doesNotContain(title);
    }
}
