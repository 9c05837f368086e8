package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.job.Job;

/**
 * {@code Idempotency-Key} over HTTP on every creation route: a client that retries gets its first
 * answer again and creates and counts nothing more, also when its retries race.
 */
@ExtendWith(LocalCloudExtension.class)
class IdempotencyEndToEndTest {
    private static final String IMAGE = "{\"model\":\"sdxl\",\"prompt\":\"a heron\"}";
    private static LocalCloud cloud;
    private static Api api;

    @BeforeAll
    static void start(LocalCloud localCloud) {
        cloud = localCloud;
        api = new Api(cloud);
    }

    private static Map<String, String> key(String value) {
        return Map.of("Idempotency-Key", value);
    }

    private static int dailyTasksUsed(String apiKey) {
        return api.get("/v1/quota", apiKey).json().path("daily_tasks").path("used").asInt();
    }

    @Test
    void aRetriedImageRequestGetsTheSameJobAndCountsAgainstNoLimit() {
        var apiKey = cloud.issueKey("idem-image", "starter");
        String idempotencyKey = UUID.randomUUID().toString();
        Api.Response first = api.post("/v1/images/generations", apiKey.value(), IMAGE, key(idempotencyKey));
        assertThat(first.status()).as(first.toString()).isEqualTo(202);
        for (int i = 0; i < 5; i++) {
            Api.Response retry = api.post("/v1/images/generations", apiKey.value(), IMAGE, key(idempotencyKey));
            assertThat(retry.status()).isEqualTo(202);
            assertThat(retry.json().path("id").asText()).isEqualTo(first.json().path("id").asText());
            assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
            assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        }
        assertThat(dailyTasksUsed(apiKey.value())).as("six requests, one task").isEqualTo(1);

        Api.Response different = api.post("/v1/images/generations", apiKey.value(),
                "{\"model\":\"sdxl\",\"prompt\":\"a crane\"}", key(idempotencyKey));
        assertThat(different.status()).as(different.toString()).isEqualTo(422);
        assertThat(different.json().path("error").path("param").asText()).isEqualTo("Idempotency-Key");
        assertThat(api.post("/v1/video/generations", apiKey.value(), "{\"model\":\"kling\",\"prompt\":\"w\",\"duration\":5}",
                key(idempotencyKey)).status()).as("another route is another request").isEqualTo(422);
        assertThat(dailyTasksUsed(apiKey.value())).isEqualTo(1);
    }

    @Test
    void concurrentDuplicatesCreateOneJob() throws Exception {
        var apiKey = cloud.issueKey("idem-race", "starter");
        String idempotencyKey = UUID.randomUUID().toString();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Api.Response>> sent = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            sent.add(clients.submit(() -> {
                go.await();
                return api.post("/v1/images/generations", apiKey.value(), IMAGE, key(idempotencyKey));
            }));
        }
        go.countDown();
        Set<String> jobIds = new HashSet<>();
        for (Future<Api.Response> response : sent) {
            Api.Response r = response.get();
            assertThat(r.status()).as(r.toString()).isIn(202, 409);
            if (r.status() == 202) {
                jobIds.add(r.json().path("id").asText());
            } else {
                assertThat(r.json().path("error").path("code").asText()).isEqualTo("idempotency_key_in_use");
                assertThat(r.header("Retry-After")).isEqualTo("1");
            }
        }
        clients.shutdown();
        assertThat(jobIds).hasSize(1);
        assertThat(dailyTasksUsed(apiKey.value())).isEqualTo(1);
        Api.Response late = api.post("/v1/images/generations", apiKey.value(), IMAGE, key(idempotencyKey));
        assertThat(late.json().path("id").asText()).isEqualTo(jobIds.iterator().next());
    }

    @Test
    void aRetriedBatchGetsTheSameResults() {
        var apiKey = cloud.issueKey("idem-batch", "starter");
        String batch = "{\"tasks\":[{\"kind\":\"image\",\"model\":\"sdxl\",\"prompt\":\"one\"},"
                + "{\"kind\":\"image\",\"model\":\"sdxl\",\"prompt\":\"two\"}]}";
        Api.Response first = api.post("/v1/generations/batch", apiKey.value(), batch, key("batch-1"));
        Api.Response retry = api.post("/v1/generations/batch", apiKey.value(), batch, key("batch-1"));
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(retry.json()).isEqualTo(first.json());
        assertThat(dailyTasksUsed(apiKey.value())).isEqualTo(2);
    }

    @Test
    void aRetriedWebhookRedeliveryQueuesOneAttempt() throws Exception {
        var apiKey = cloud.issueKey("idem-hook", "pro");
        String path = "/idem-hook-" + System.nanoTime();
        cloud.services().webhooks().respond(path, 503, Duration.ZERO);
        EndedJobs ended = new EndedJobs(cloud);
        Job job = ended.succeeded("idem-hook", URI.create(cloud.apiUrl() + "/_local/webhooks" + path));
        String route = "/v1/generations/" + job.id() + "/webhook";

        Api.Response first = api.post(route, apiKey.value(), "", key("redeliver-1"));
        Api.Response retry = api.post(route, apiKey.value(), "", key("redeliver-1"));
        assertThat(first.status()).as(first.toString()).isEqualTo(202);
        assertThat(retry.status()).isEqualTo(202);
        assertThat(retry.json().path("event_id")).isEqualTo(first.json().path("event_id"));
        // Drained of every test's messages, including scheduled retries that wait up to 30 s.
        ended.awaitQueueDrained(Duration.ofSeconds(90));
        JsonNode stored = api.get("/v1/generations/" + job.id(), apiKey.value()).json();
        assertThat(stored.path("webhook").path("attempts").size()).as("one requested attempt").isEqualTo(1);

        Api.Response otherJob = api.post("/v1/generations/gen_00000000000000000000000000/webhook", apiKey.value(), "",
                key("redeliver-1"));
        assertThat(otherJob.status()).as("the same key on another job's route").isEqualTo(422);
    }
}
