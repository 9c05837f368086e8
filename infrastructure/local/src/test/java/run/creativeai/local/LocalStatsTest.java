package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.chrome.ChromeDriver;
import run.creativeai.template.Template;

/**
 * The local cloud's live view: {@code GET /_local/stats} counts what the functions did, and the page
 * at {@code /_local/}, loaded in a real headless browser ({@link HeadlessChromium}), shows the numbers move.
 */
@ExtendWith(LocalCloudExtension.class)
class LocalStatsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalCloud cloud;
    private static Api api;

    @BeforeAll
    static void start(LocalCloud localCloud) {
        cloud = localCloud;
        api = new Api(cloud);
    }

    private static HttpResponse<String> local(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(cloud.apiUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode stats() throws Exception {
        HttpResponse<String> response = local("/_local/stats");
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void statsCountAnAdmittedJobItsEndingItsWebhookAndARefusalAndShowEveryQueueAndProvider() throws Exception {
        JsonNode before = stats();
        var key = cloud.issueKey("stats-counters", "free");
        String hook = cloud.apiUrl() + "/_local/webhooks/stats-" + System.nanoTime();
        String id = api.post("/v1/images/generations", key.value(),
                "{\"model\":\"sdxl\",\"prompt\":\"a fox\",\"webhook_url\":\"" + hook + "\"}").json().path("id").asText();
        api.awaitJob(id, key.value(), j -> j.path("webhook").path("attempts").size() >= 1, Duration.ofSeconds(30));
        // The free plan's 10 requests a minute, in fixed minutes: creates until that rule refuses one. Wherever
        // the minute turns, 21 creates within two minutes meet a refusal.
        List<String> admitted = new ArrayList<>(List.of(id));
        Api.Response refused = null;
        for (int i = 0; i < 21 && refused == null; i++) {
            Api.Response created = api.post("/v1/images/generations", key.value(), "{\"model\":\"sdxl\",\"prompt\":\"more\"}");
            if (created.status() == 429) {
                refused = created;
            } else {
                assertThat(created.status()).as(created.toString()).isEqualTo(202);
                admitted.add(created.json().path("id").asText());
            }
        }
        assertThat(refused).as("a create past the free plan's 10 a minute is refused").isNotNull();
        assertThat(admitted).as("the minute's 10 creates").hasSizeGreaterThanOrEqualTo(10);

        // The functions count into the stats as they finish their work, which may be after the writes and
        // responses the test has seen: the stats are read until they show it.
        await("the stats count the admitted creates, the refusal, the ended job, its webhook and its provider calls")
                .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    JsonNode after = stats();
                    assertThat(after.path("admitted").path("create").asLong()).isGreaterThanOrEqualTo(
                            before.path("admitted").path("create").asLong() + 10);
                    assertThat(after.path("refused").path("plan_requests_per_minute").asLong())
                            .isGreaterThan(before.path("refused").path("plan_requests_per_minute").asLong());
                    assertThat(after.path("webhooks").path("delivered").asLong())
                            .isGreaterThan(before.path("webhooks").path("delivered").asLong());
                    assertThat(after.path("jobs_ended").path("free succeeded").asLong())
                            .isGreaterThan(before.path("jobs_ended").path("free succeeded").asLong());
                    assertThat(after.path("providers").path("sdxl").path("calls").asLong())
                            .isGreaterThan(before.path("providers").path("sdxl").path("calls").asLong());
                });
        JsonNode after = stats();
        assertThat(after.path("providers").path("sdxl").path("circuit").asText()).isEqualTo("closed");
        assertThat(after.path("providers").path("sdxl").path("simulated").path("mode").asText()).isEqualTo("up");

        List<String> queues = new ArrayList<>();
        Template.load(java.nio.file.Path.of(System.getProperty("project.root"), "template.yaml"))
                .resourcesOfType("AWS::SQS::Queue").forEach(q -> queues.add(q.logicalId()));
        assertThat(queues).contains("FreeQueue", "FreeDeadLetterQueue", "WebhookQueue");
        for (String queue : queues) {
            assertThat(after.path("queues").path(queue).path("waiting").isNumber()).as(queue).isTrue();
        }
        assertThat(after.path("jobs_in_flight").fieldNames()).toIterable().containsExactlyInAnyOrder("enterprise", "pro", "free");
        awaitEnded(admitted, key.value());
    }

    @Test
    void onlyTheLocalRoutesAnswerUnderLocal() throws Exception {
        HttpResponse<String> page = local("/_local/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(local("/_local/nothing-here").statusCode()).isEqualTo(404);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(cloud.apiUrl() + "/_local/stats"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(405);
    }

    @Test
    void thePageShowsJobsInFlightAndAdmissionsChangeLiveAfterJobsAreSubmitted() throws Exception {
        var key = cloud.issueKey("stats-page", "pro");
        ChromeDriver browser = HeadlessChromium.start(1280, 900);
        try {
            browser.get(cloud.apiUrl() + "/_local/");
            await("the page has loaded its first numbers").atMost(Duration.ofSeconds(15))
                    .until(() -> number(browser, "refreshes") >= 1);
            long admittedBefore = number(browser, "admissions-admitted-create");
            long callsBefore = number(browser, "calls-sdxl");
            long refreshesBefore = number(browser, "refreshes");

            // A slow provider keeps the three jobs in flight together for several of the page's refreshes, once a
            // second, however slowly the machine admits them.
            cloud.services().providers().configure("sdxl", JSON.readTree("{\"latency_ms\":6000}"));
            List<String> live = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    live.add(api.post("/v1/images/generations", key.value(), "{\"model\":\"sdxl\",\"prompt\":\"live " + i + "\"}")
                            .json().path("id").asText());
                }
                await("the page shows the three jobs in flight, their admission and a call to sdxl")
                        .atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                    assertThat(number(browser, "queued-pro") + number(browser, "running-pro"))
                            .as("pro jobs in flight on the page").isGreaterThanOrEqualTo(3);
                    assertThat(number(browser, "admissions-admitted-create")).isGreaterThanOrEqualTo(admittedBefore + 3);
                    assertThat(number(browser, "calls-sdxl")).as("calls to the provider on the page").isGreaterThan(callsBefore);
                });
                // Read while the page's script may be swapping a table in: looked at until it holds.
                await("the page refreshes by itself and shows sdxl's circuit, mode and the pro queue")
                        .atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                    assertThat(number(browser, "refreshes")).as("the page refreshed by itself").isGreaterThan(refreshesBefore);
                    assertThat(text(browser, "circuit-sdxl")).isEqualTo("closed");
                    assertThat(text(browser, "mode-sdxl")).isEqualTo("up");
                    assertThat(browser.executeScript("return document.getElementById('waiting-ProQueue') !== null;"))
                            .isEqualTo(true);
                });
            } finally {
                cloud.services().providers().configure("sdxl", JSON.readTree("{\"latency_ms\":null}"));
            }
            awaitEnded(live, key.value());
        } finally {
            browser.quit();
        }
    }

    /** Leaves no job of a test running into the tests after it. */
    private static void awaitEnded(List<String> ids, String key) {
        for (String id : ids) {
            api.awaitJob(id, key, j -> j.path("status").asText().matches("succeeded|failed|canceled"), Duration.ofSeconds(60));
        }
    }

    /** The text an element of the page shows; empty while the element is not there. */
    private static String text(ChromeDriver browser, String id) {
        return (String) browser.executeScript(
                "var e = document.getElementById(arguments[0]); return e === null ? '' : e.textContent;", id);
    }

    /** The number an element of the page shows; 0 while the element is not there yet. */
    private static long number(ChromeDriver browser, String id) {
        String text = text(browser, id).trim();
        return text.isEmpty() ? 0 : Long.parseLong(text);
    }
}
