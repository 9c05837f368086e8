package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.webhook.SigningSecret;

/**
 * Captures everything the gateway logs (the functions log through SLF4J to standard error) and
 * prints during a full run, failures and failover included, and every response it gives, and looks
 * for every secret in play: the API key, its keyed hash, the pepper, the signing secrets before and
 * during a rotation, and the providers' credentials.
 */
@ExtendWith(LocalCloudExtension.class)
class SecretsNeverLoggedTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void noKeySecretPepperOrProviderCredentialAppearsInTheLogsOrResponsesOfAFullRun(LocalCloud cloud) throws Exception {
        Api api = new Api(cloud);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        PrintStream originalOut = System.out;
        List<String> responses = new ArrayList<>();
        var key = cloud.issueKey("no-leaks", "pro");
        SigningSecret first = cloud.administration().signingSecret(new TenantId("no-leaks"));
        SigningSecret second;
        String id;
        System.setErr(new PrintStream(new Tee(originalErr, captured), true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new Tee(originalOut, captured), true, StandardCharsets.UTF_8));
        try {
            // Failover with a provider down, a provider answering garbage, a webhook that fails then succeeds.
            cloud.services().providers().configure("seedream", JSON.createObjectNode().put("mode", "down"));
            cloud.services().providers().configure("flux", JSON.createObjectNode().put("mode", "garbage"));
            String path = "/no-leaks-" + System.nanoTime();
            cloud.services().webhooks().respond(path, 500, Duration.ZERO);
            Api.Response created = api.post("/v1/images/generations", key.value(), "{\"model\":\"seedream\",\"prompt\":"
                    + "\"a fox\",\"webhook_url\":\"" + cloud.apiUrl() + "/_local/webhooks" + path + "\"}");
            responses.add(created.toString() + created.raw().headers().map());
            id = created.json().path("id").asText();
            JsonNode job = api.awaitJob(id, key.value(), j -> j.path("webhook").path("attempts").size() >= 1,
                    Duration.ofSeconds(30));
            responses.add(job.toString());
            // A requested redelivery that fails too: logged as a warning.
            responses.add(api.post("/v1/generations/" + id + "/webhook", key.value(), "").toString());
            responses.add(api.awaitJob(id, key.value(), j -> j.path("webhook").path("attempts").size() >= 2,
                    Duration.ofSeconds(20)).toString());

            second = cloud.administration().rotateSigningSecret(new TenantId("no-leaks"));
            cloud.services().webhooks().respond(path, 200, Duration.ZERO);
            Api.Response redelivered = api.post("/v1/generations/" + id + "/webhook", key.value(), "");
            responses.add(redelivered.toString() + redelivered.raw().headers().map());
            cloud.services().webhooks().await(d -> d.path().equals(path) && d.answered() == 200, 1, Duration.ofSeconds(20));
            responses.add(api.awaitJob(id, key.value(), j -> j.path("webhook").path("attempts").size() >= 3,
                    Duration.ofSeconds(30)).toString());

            // Refusals: a wrong key, a revoked key, bad input, another tenant, a route error.
            responses.add(api.get("/v1/models", key.value() + "x").toString());
            responses.add(api.post("/v1/images/generations", key.value(), "{\"model\":\"seedream\",\"prompt\":\"x\","
                    + "\"webhook_url\":\"https://169.254.169.254/latest\"}").toString());
            responses.add(api.post("/v1/video/generations", key.value(), "{not json").toString());
            responses.add(api.get("/v1/generations/" + id, cloud.issueKey("no-leaks-other", "pro").value()).toString());
            cloud.administration().revokeKey(new TenantId("no-leaks"), key.keyId());
            responses.add(api.get("/v1/generations/" + id, key.value()).toString());
        } finally {
            System.setErr(originalErr);
            System.setOut(originalOut);
            cloud.services().providers().configure("seedream", JSON.createObjectNode().put("mode", "up"));
            cloud.services().providers().configure("flux", JSON.createObjectNode().put("mode", "up"));
        }

        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).as("the run logged (else this test proves nothing)").contains("WARN")
                .contains("requested redelivery of event");
        assertFunctionLinesAreJsonWithTheirContext(logs, id);
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("the API key", key.value());
        secrets.put("the API key's keyed hash", cloud.administration().keys(new TenantId("no-leaks")).get(0).keyHash());
        Map<String, String> env = cloud.runtime().function("IngressFunction").environment();
        secrets.put("the pepper", secret(cloud, env.get(Components.API_KEY_PEPPER_SECRET)));
        secrets.put("the signing secret before the rotation", first.reveal());
        secrets.put("the key of the signing secret before the rotation", first.reveal().substring("whsec_".length()));
        secrets.put("the signing secret after the rotation", second.reveal());
        secrets.put("the key of the signing secret after the rotation", second.reveal().substring("whsec_".length()));
        String credentials = secret(cloud, cloud.runtime().function("DispatcherFunction").environment()
                .get(Components.PROVIDER_CREDENTIALS_SECRET));
        JSON.readTree(credentials).fields().forEachRemaining(p -> secrets.put("the " + p.getKey() + " credential",
                p.getValue().asText()));
        List<String> searched = new ArrayList<>(List.of("the API key", "the API key's keyed hash", "the pepper",
                "the signing secret before the rotation", "the key of the signing secret before the rotation",
                "the signing secret after the rotation", "the key of the signing secret after the rotation"));
        ModelCatalog.defaults().providers().keySet().forEach(provider -> searched.add("the " + provider + " credential"));
        assertThat(secrets.keySet()).as("every secret in play is searched for, each under its own name")
                .containsExactlyInAnyOrderElementsOf(searched);
        assertThat(Set.copyOf(secrets.values())).as("no two of them are the same value").hasSameSizeAs(secrets.values());
        String answered = String.join("\n", responses);
        secrets.forEach((what, value) -> {
            assertThat(logs).as(what + " in the logs").doesNotContain(value);
            assertThat(answered).as(what + " in a response").doesNotContain(value);
        });
    }

    /**
     * The functions' log lines are JSON objects carrying the invocation's context (function, request,
     * cold start, and the job and tenant once known); their metric lines are EMF documents.
     */
    private static void assertFunctionLinesAreJsonWithTheirContext(String logs, String jobId) throws Exception {
        List<JsonNode> functionLines = new ArrayList<>();
        List<JsonNode> metricLines = new ArrayList<>();
        for (String line : logs.split("\n")) {
            if (!line.startsWith("{")) {
                continue;
            }
            JsonNode json = JSON.readTree(line);
            if (json.has("_aws")) {
                metricLines.add(json);
            } else if (json.has("function_name")) {
                functionLines.add(json);
            }
        }
        assertThat(functionLines).as("log lines of the functions").isNotEmpty().allSatisfy(line -> {
            assertThat(line.path("timestamp").asText()).isNotEmpty();
            assertThat(line.path("level").asText()).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
            assertThat(line.path("request_id").asText()).isNotEmpty();
            assertThat(line.path("cold_start").asText()).isIn("true", "false");
        });
        JsonNode redelivery = functionLines.stream()
                .filter(l -> l.path("message").asText().startsWith("requested redelivery of event")).findFirst().orElseThrow();
        assertThat(redelivery.path("level").asText()).isEqualTo("WARN");
        assertThat(redelivery.path("function_name").asText()).endsWith("-WebhookFunction");
        assertThat(redelivery.path("job_id").asText()).isEqualTo(jobId);
        assertThat(redelivery.path("tenant_id").asText()).isEqualTo("no-leaks");
        assertThat(metricLines).as("EMF documents of webhook attempts")
                .anySatisfy(m -> assertThat(m.path("WebhookAttempts").asLong()).isEqualTo(1));
    }

    private static String secret(LocalCloud cloud, String id) {
        return cloud.runtime().secretsManager().getSecretValue(b -> b.secretId(id)).secretString();
    }

    /** Writes to the console as before and to the capture. */
    private static final class Tee extends OutputStream {
        private final OutputStream console;
        private final ByteArrayOutputStream capture;

        Tee(OutputStream console, ByteArrayOutputStream capture) {
            this.console = console;
            this.capture = capture;
        }

        @Override
        public void write(int b) {
            synchronized (capture) {
                capture.write(b);
            }
            try {
                console.write(b);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (capture) {
                capture.write(b, off, len);
            }
            try {
                console.write(b, off, len);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
