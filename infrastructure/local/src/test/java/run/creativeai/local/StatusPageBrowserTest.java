package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * {@code GET /status} in a real browser (headless Chromium, phone-sized): the page's script reads
 * {@code /v1/status}, draws a 90-day bar per component, and shows an incident within seconds of a
 * provider going down and in the history once it is back. Elements are read by script in one go, since
 * the page redraws itself every few seconds.
 */
@ExtendWith(LocalCloudExtension.class)
class StatusPageBrowserTest {
    private static final int PHONE_WIDTH = 390;
    private static LocalCloud cloud;
    private static ChromeDriver browser;

    @BeforeAll
    static void start(LocalCloud localCloud) {
        cloud = localCloud;
        browser = HeadlessChromium.start(PHONE_WIDTH, 844);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void thePageShowsEveryComponentWithNinetyDayBarsAndFitsAPhoneScreen() {
        JsonNode status = new ProviderOutage(cloud, "").status();
        browser.get(cloud.apiUrl() + "/status");
        awaitRendered();

        List<String> ids = new ArrayList<>();
        status.path("components").forEach(c -> ids.add(c.path("id").asText()));
        assertThat(ids).contains("api", "webhooks", "queues", ProviderOutage.PROVIDER);
        assertThat(script("return Array.from(document.querySelectorAll('#components .component'))"
                + ".map(function (c) { return c.id.substring('component-'.length); });"))
                .as("the components the page draws, in the API's order").isEqualTo(ids);
        for (String id : ids) {
            assertThat(script("return document.getElementById('bar-' + arguments[0]).querySelectorAll('.day').length;", id))
                    .as("days in %s's uptime bar", id).isEqualTo(90L);
        }
        assertThat(script("return document.getElementById('overall').getAttribute('data-status');"))
                .isIn("operational", "degraded", "partial_outage", "major_outage", "maintenance");
        assertThat(script("return document.getElementById('overall').textContent;")).isEqualTo(status.path("description")
                .asText());
        assertThat((Long) script("return document.documentElement.scrollWidth;"))
                .as("the page's width on a %d px wide phone: nothing scrolls sideways", PHONE_WIDTH)
                .isLessThanOrEqualTo((Long) script("return window.innerWidth;"));
    }

    @Test
    void anIncidentShowsWithinSecondsOfAProviderGoingDownAndMovesToTheHistoryWhenItComesBack() {
        ProviderOutage outage = new ProviderOutage(cloud, cloud.issueKey("status-page-watcher", "pro").value());
        outage.startHealthy();
        browser.get(cloud.apiUrl() + "/status");
        awaitRendered();

        String incident;
        try {
            incident = outage.goDown().path("id").asText();
            await("the page shows incident " + incident + " as active and " + ProviderOutage.PROVIDER + " as down")
                    .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                        assertThat(script("var i = document.getElementById('incident-' + arguments[0]);"
                                + " return i !== null && document.getElementById('active-incidents').contains(i)"
                                + " && !document.getElementById('active-incidents-section').hidden;", incident))
                                .as("incident %s among the active ones", incident).isEqualTo(true);
                        assertThat(text("status-" + ProviderOutage.PROVIDER)).isNotEqualTo("Operational");
                        assertThat(text("provider-" + ProviderOutage.PROVIDER)).contains("circuit open");
                    });
        } finally {
            outage.comeBack();
        }

        outage.awaitResolved(incident);
        await("the page moves incident " + incident + " to the past 7 days").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                    assertThat(script("var i = document.getElementById('incident-' + arguments[0]);"
                            + " return i !== null && document.getElementById('history').contains(i);", incident))
                            .as("incident %s in the history", incident).isEqualTo(true);
                    assertThat(text("provider-" + ProviderOutage.PROVIDER)).as("no circuit shown once it is closed")
                            .isEmpty();
                });
    }

    private static void awaitRendered() {
        await("the page has drawn the status it read").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> ((Number) script("return Number(document.getElementById('refreshes').textContent);"))
                        .longValue() >= 1);
    }

    /** The text of an element of the page; empty while there is none. */
    private static String text(String id) {
        return (String) script("var e = document.getElementById(arguments[0]); return e === null ? '' : e.textContent;", id);
    }

    private static Object script(String script, Object... arguments) {
        return browser.executeScript(script, arguments);
    }
}
