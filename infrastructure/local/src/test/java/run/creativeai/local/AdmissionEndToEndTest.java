package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The admission contract over HTTP: authentication, input checks and the plan's per-minute limit. */
@ExtendWith(LocalCloudExtension.class)
class AdmissionEndToEndTest {
    private static final String IMAGE = "{\"model\":\"seedream\",\"prompt\":\"a red fox\"}";
    private static final int ATTEMPTS = 3;
    private static LocalCloud cloud;
    private static Api api;

    @BeforeAll
    static void start(LocalCloud localCloud) {
        cloud = localCloud;
        api = new Api(cloud);
    }

    @Test
    void theEleventhRequestOfAFreeKeyInOneMinuteIsRefusedWith429AndWhenToRetry() {
        // A minute boundary during the run would reset the count; the scenario then runs again on a fresh key.
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            var key = cloud.issueKey("limit-seq-" + attempt, "free");
            List<Api.Response> responses = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                responses.add(api.post("/v1/images/generations", key.value(), IMAGE));
            }
            // The gateway reads its clock between these two readings of the test's own.
            long sentAt = Instant.now().getEpochSecond();
            responses.add(api.post("/v1/images/generations", key.value(), IMAGE));
            long answeredAt = Instant.now().getEpochSecond();
            if (windows(responses) > 1) {
                continue;
            }
            assertThat(responses.subList(0, 10)).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(202));
            assertThat(responses.get(9).header("X-RateLimit-Remaining")).isEqualTo("0");
            Api.Response refused = responses.get(10);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
            long reset = Long.parseLong(refused.header("X-RateLimit-Reset"));
            long retryAfter = Long.parseLong(refused.header("Retry-After"));
            assertThat(refused.header("X-RateLimit-Limit")).isEqualTo("10");
            assertThat(refused.header("X-RateLimit-Remaining")).isEqualTo("0");
            assertThat(refused.header("X-RateLimit-Retry-After")).isEqualTo(refused.header("Retry-After"));
            assertThat(retryAfter).isBetween(1L, 60L);
            assertThat(reset - sentAt).as("the window's end, seen from before the request").isGreaterThanOrEqualTo(retryAfter - 1);
            assertThat(reset - answeredAt).as("the window's end, seen from after the answer").isLessThanOrEqualTo(retryAfter + 1);
            JsonNode body = refused.json();
            assertThat(body.path("error").path("type").asText()).isEqualTo("rate_limit_error");
            assertThat(body.path("detail").asText()).isEqualTo("Rate limit exceeded");
            assertThat(body.path("retry_after").asLong()).isEqualTo(retryAfter);
            assertThat(body.path("success").asBoolean(true)).isFalse();
            assertThat(body.path("rate_limit").path("limit").asInt()).isEqualTo(10);
            assertThat(body.path("rate_limit").path("count").asInt()).isEqualTo(10);
            assertThat(body.path("rate_limit").path("reset_in_seconds").asLong()).isEqualTo(retryAfter);
            return;
        }
        fail("every attempt straddled a minute boundary");
    }

    @Test
    void fiftyRequestsRacingOnOneFreeKeyAdmitExactlyTen() throws Exception {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            var key = cloud.issueKey("limit-race-" + attempt, "free");
            ExecutorService pool = Executors.newFixedThreadPool(50);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Api.Response>> futures = new ArrayList<>();
            Api racer = new Api(cloud);
            for (int i = 0; i < 50; i++) {
                Callable<Api.Response> call = () -> {
                    go.await();
                    return racer.post("/v1/images/generations", key.value(), IMAGE);
                };
                futures.add(pool.submit(call));
            }
            go.countDown();
            List<Api.Response> responses = new ArrayList<>();
            for (Future<Api.Response> f : futures) {
                responses.add(f.get());
            }
            pool.shutdown();
            if (windows(responses) > 1) {
                continue;
            }
            assertThat(responses.stream().filter(r -> r.status() == 202).count()).as("admitted").isEqualTo(10);
            assertThat(responses.stream().filter(r -> r.status() == 429).count()).as("refused").isEqualTo(40);
            return;
        }
        fail("every attempt straddled a minute boundary");
    }

    private static int windows(List<Api.Response> responses) {
        Set<String> resets = new HashSet<>();
        responses.forEach(r -> resets.add(r.header("X-RateLimit-Reset")));
        return resets.size();
    }

    @Test
    void invalidJsonIsA400ThatSaysWhere() {
        Api.Response response = api.post("/v1/images/generations", "sk-local-pro", "{\"model\": \"seedream\", ");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").path("code").asText()).isEqualTo("invalid_json");
        assertThat(response.json().path("error").path("message").asText()).contains("not valid JSON");
    }

    @Test
    void anUnknownModelIsA400NamingTheModelField() {
        Api.Response response = api.post("/v1/images/generations", "sk-local-pro", "{\"model\":\"dall-e-3\",\"prompt\":\"x\"}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").path("param").asText()).isEqualTo("model");
        assertThat(response.json().path("error").path("message").asText()).contains("dall-e-3").contains("seedream");
    }

    @Test
    void aMissingPromptIsA400NamingThePromptField() {
        Api.Response response = api.post("/v1/video/generations", "sk-local-pro", "{\"model\":\"kling\",\"duration\":5}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").path("param").asText()).isEqualTo("prompt");
        assertThat(response.json().path("error").path("message").asText()).isEqualTo("prompt is required");
    }

    @Test
    void aRefusedRequestConsumesNoLimit() {
        var key = cloud.issueKey("limit-bad-input", "free");
        Api.Response bad = api.post("/v1/images/generations", key.value(), "{\"model\":\"seedream\"}");
        Api.Response good = api.post("/v1/images/generations", key.value(), IMAGE);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(good.status()).isEqualTo(202);
        assertThat(good.header("X-RateLimit-Remaining")).isEqualTo("9");
        assertThat(bad.header("X-RateLimit-Remaining")).isNull();
    }

    @Test
    void missingUnknownAndMalformedKeysAre401() {
        Api.Response missing = api.send(HttpRequest.newBuilder(cloud.apiUrl().resolve("/v1/models")).GET());
        Api.Response unknown = api.get("/v1/models", "sk-local-nobody");
        Api.Response basic = api.send(HttpRequest.newBuilder(cloud.apiUrl().resolve("/v1/models"))
                .header("Authorization", "Basic dXNlcjpwYXNz").GET());
        assertThat(List.of(missing, unknown, basic)).allSatisfy(r -> {
            assertThat(r.status()).as(r.toString()).isEqualTo(401);
            assertThat(r.json().path("error").path("type").asText()).isEqualTo("authentication_error");
            assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
        });
        assertThat(unknown.raw().body()).doesNotContain("sk-local-nobody");
    }

    @Test
    void anUnknownRouteIsTheGatewaysOwn404() {
        Api.Response response = api.get("/v2/images", "sk-local-pro");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().path("message").asText()).isEqualTo("Not Found");
    }
}
