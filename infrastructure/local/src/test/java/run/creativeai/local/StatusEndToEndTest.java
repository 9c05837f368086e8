package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.local.services.WebhookReceiver;

/**
 * The status page's promise through the real functions: a provider that goes down is an incident on
 * {@code GET /v1/status} as soon as its circuit opens (the dispatcher that trips it opens the
 * incident, not the status function's minute), resolved when a call finds it back, and a tenant's
 * status subscription receives both, signed like its job webhooks.
 */
@ExtendWith(LocalCloudExtension.class)
class StatusEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TENANT = "status-subscriber";
    private static LocalCloud cloud;
    private static Api api;

    @BeforeAll
    static void start(LocalCloud localCloud) {
        cloud = localCloud;
        api = new Api(cloud);
    }

    @Test
    void aProviderGoingDownIsAnIncidentWithinSecondsResolvedWhenItComesBackAndBothAreSentSignedToSubscribers() {
        String key = cloud.issueKey(TENANT, "pro").value();
        String path = "/status-" + System.nanoTime();
        Api.Response subscribed = api.post("/v1/status/subscriptions", key,
                "{\"url\":\"" + cloud.apiUrl() + "/_local/webhooks" + path + "\"}");
        assertThat(subscribed.status()).as(subscribed.toString()).isEqualTo(201);
        String subscription = subscribed.json().path("id").asText();

        ProviderOutage outage = new ProviderOutage(cloud, key);
        outage.startHealthy();
        JsonNode opened;
        try {
            opened = outage.goDown();
            assertThat(opened.path("automatic").asBoolean()).isTrue();
            assertThat(opened.path("components").toString()).contains(ProviderOutage.PROVIDER);
            JsonNode component = ProviderOutage.component(outage.status(), ProviderOutage.PROVIDER);
            assertThat(component.path("status").asText()).as(component.toString()).isNotEqualTo("operational");
            assertThat(component.path("provider").path("circuit").asText()).isEqualTo("open");
            assertThat(component.path("provider").path("failure_kinds")).isNotEmpty();
        } finally {
            outage.comeBack();
        }

        String incident = opened.path("id").asText();
        JsonNode resolved = outage.awaitResolved(incident);
        assertThat(resolved.path("status").asText()).isEqualTo("resolved");
        assertThat(ProviderOutage.component(outage.status(), ProviderOutage.PROVIDER).path("provider").path("circuit")
                .asText()).isEqualTo("closed");

        List<WebhookReceiver.Delivery> announced = cloud.services().webhooks().await(d -> d.path().equals(path)
                && body(d).path("data").path("id").asText().equals(incident), 2, Duration.ofSeconds(60));
        assertThat(announced).extracting(d -> body(d).path("type").asText())
                .contains("status.incident.opened", "status.incident.resolved");
        assertThat(announced).allSatisfy(d -> {
            assertThat(d.signedBy()).as("the receiver verified the signature with %s's secret", TENANT).contains(TENANT);
            assertThat(d.header("webhook-id")).isEqualTo(body(d).path("event_id").asText());
        });

        assertThat(api.delete("/v1/status/subscriptions/" + subscription, key).status()).isEqualTo(200);
    }

    @Test
    void everyCreationSaysHowDeepItsTierQueueWasAndTheStatusIsPublicAndCacheable() {
        String key = cloud.issueKey("status-queue-depth", "pro").value();
        Api.Response created = api.post("/v1/images/generations", key, "{\"model\":\"flux\",\"prompt\":\"depth\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        assertThat(created.header("X-Queue-Depth")).as(created.toString()).matches("\\d+");

        Api.Response status = api.send(HttpRequest.newBuilder(api.url("/v1/status")).GET());
        assertThat(status.status()).as("without a key: " + status).isEqualTo(200);
        assertThat(status.header("Cache-Control")).contains("max-age=");
        assertThat(status.json().path("components")).extracting(c -> c.path("id").asText())
                .contains("api", "webhooks", "queues", "seedream", "kling");
        api.awaitJob(created.json().path("id").asText(), key,
                j -> j.path("status").asText().matches("succeeded|failed"), Duration.ofSeconds(60));
    }

    private static JsonNode body(WebhookReceiver.Delivery delivery) {
        try {
            return JSON.readTree(delivery.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
