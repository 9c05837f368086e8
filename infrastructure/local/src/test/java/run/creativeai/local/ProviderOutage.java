package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import run.creativeai.local.services.SimulatedProviders;

/**
 * A simulated provider taken down and brought back, as the status tests need it: jobs keep coming
 * (each fails over and still succeeds) until its circuit opens and {@code GET /v1/status} shows the
 * incident; once it is up again, jobs keep coming until a call after the cool-down closes the
 * circuit and the incident is resolved. Seedream's image jobs fail over to flux.
 */
final class ProviderOutage {
    static final String PROVIDER = "seedream";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UP = "{\"mode\":\"up\",\"latency_ms\":100}";

    private final Api api;
    private final SimulatedProviders providers;
    private final String key;

    ProviderOutage(LocalCloud cloud, String key) {
        this.api = new Api(cloud);
        this.providers = cloud.services().providers();
        this.key = key;
    }

    /** The provider up, its circuit closed by a job it served, and no incident of it active. */
    void startHealthy() {
        configure(UP);
        await("a job served by " + PROVIDER + " finds its circuit closed").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> generate().path("model_actual").asText().equals(PROVIDER));
        await("no incident of " + PROVIDER + " is active").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).until(() -> activeIncident().isEmpty());
    }

    /**
     * Takes the provider down and returns its incident as {@code /v1/status} first shows it; prints how
     * long after the circuit opened that was.
     */
    JsonNode goDown() {
        configure("{\"mode\":\"down\",\"latency_ms\":null}");
        AtomicReference<JsonNode> seen = new AtomicReference<>();
        await("an incident of " + PROVIDER + " on /v1/status").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    Optional<JsonNode> incident = activeIncident();
                    if (incident.isPresent()) {
                        seen.set(incident.get());
                        return true;
                    }
                    JsonNode job = generate();
                    assertThat(job.path("status").asText()).as("failover serves it: " + job).isEqualTo("succeeded");
                    return false;
                });
        Instant openedAt = Instant.parse(seen.get().path("opened_at").asText());
        System.out.printf("status: %s's incident was on /v1/status %d ms after its circuit opened%n", PROVIDER,
                Duration.between(openedAt, Instant.now()).toMillis());
        return seen.get();
    }

    /** Brings the provider back without waiting for anything. */
    void comeBack() {
        configure(UP);
    }

    /** Brings the provider back and returns incident {@code id} as {@code /v1/status} first shows it resolved. */
    JsonNode awaitResolved(String id) {
        comeBack();
        AtomicReference<JsonNode> seen = new AtomicReference<>();
        await("incident " + id + " resolved on /v1/status").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    Optional<JsonNode> resolved = find(status().path("incidents").path("resolved"), id);
                    if (resolved.isPresent()) {
                        seen.set(resolved.get());
                        return true;
                    }
                    generate();
                    return false;
                });
        return seen.get();
    }

    /** One image job on the provider's model, awaited to its end. */
    JsonNode generate() {
        Api.Response created = api.post("/v1/images/generations", key,
                "{\"model\":\"" + PROVIDER + "\",\"prompt\":\"status watch\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        return api.awaitJob(created.json().path("id").asText(), key,
                j -> j.path("status").asText().matches("succeeded|failed"), Duration.ofSeconds(60));
    }

    /** {@code GET /v1/status}, without a key. */
    JsonNode status() {
        Api.Response response = api.send(HttpRequest.newBuilder(api.url("/v1/status")).GET());
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    Optional<JsonNode> activeIncident() {
        for (JsonNode incident : status().path("incidents").path("active")) {
            if (incident.path("cause").path("provider").asText().equals(PROVIDER)) {
                return Optional.of(incident);
            }
        }
        return Optional.empty();
    }

    static JsonNode component(JsonNode status, String id) {
        return find(status.path("components"), id).orElseThrow(() -> new AssertionError("no component " + id + " in "
                + status));
    }

    private static Optional<JsonNode> find(JsonNode list, String id) {
        for (JsonNode item : list) {
            if (item.path("id").asText().equals(id)) {
                return Optional.of(item);
            }
        }
        return Optional.empty();
    }

    private void configure(String settings) {
        try {
            providers.configure(PROVIDER, JSON.readTree(settings));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
