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
import org.htmlunit.WebClient;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.template.Template;

/**
 * The local cloud's live view: {@code GET /_local/stats} counts what the functions did, and the page
 * at {@code /_local/}, loaded in a headless browser that runs its JavaScript, shows the numbers move.
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
        // The free plan's 10 requests a minute: the eleventh create is refused by that rule.
        for (int i = 0; i < 10; i++) {
            api.post("/v1/images/generations", key.value(), "{\"model\":\"sdxl\",\"prompt\":\"more\"}");
        }

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
        try (WebClient browser = new WebClient()) {
            browser.getOptions().setThrowExceptionOnScriptError(true);
            HtmlPage page = browser.getPage(cloud.apiUrl() + "/_local/");
            await().atMost(Duration.ofSeconds(15)).until(() -> number(page, "refreshes") >= 1);
            long admittedBefore = number(page, "admissions-admitted-create");
            long callsBefore = number(page, "calls-sdxl");
            long refreshesBefore = number(page, "refreshes");

            // A slow provider keeps the jobs in flight long enough to be seen.
            cloud.services().providers().configure("sdxl", JSON.readTree("{\"latency_ms\":4000}"));
            try {
                for (int i = 0; i < 3; i++) {
                    api.post("/v1/images/generations", key.value(), "{\"model\":\"sdxl\",\"prompt\":\"live " + i + "\"}");
                }
                await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                    assertThat(number(page, "queued-pro") + number(page, "running-pro")).as("pro jobs in flight on the page")
                            .isGreaterThanOrEqualTo(3);
                    assertThat(number(page, "admissions-admitted-create")).isGreaterThanOrEqualTo(admittedBefore + 3);
                    assertThat(number(page, "calls-sdxl")).as("calls to the provider on the page").isGreaterThan(callsBefore);
                });
                // Read while the page's script may be swapping a table in: looked at until it holds.
                await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                    assertThat(number(page, "refreshes")).as("the page refreshed by itself").isGreaterThan(refreshesBefore);
                    assertThat(text(page, "circuit-sdxl")).isEqualTo("closed");
                    assertThat(text(page, "mode-sdxl")).isEqualTo("up");
                    assertThat(page.getElementById("waiting-ProQueue")).isNotNull();
                });
            } finally {
                cloud.services().providers().configure("sdxl", JSON.readTree("{\"latency_ms\":null}"));
            }
        }
    }

    /** The text an element of the page shows; empty while the element is not there. */
    private static String text(HtmlPage page, String id) {
        DomElement element = page.getElementById(id);
        return element == null ? "" : element.getTextContent();
    }

    /** The number an element of the page shows; 0 while the element is not there yet. */
    private static long number(HtmlPage page, String id) {
        DomElement element = page.getElementById(id);
        return element == null ? 0 : Long.parseLong(element.getTextContent().trim());
    }
}
