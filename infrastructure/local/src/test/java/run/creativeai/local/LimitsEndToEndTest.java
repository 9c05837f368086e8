package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every limit a customer can run into, over HTTP: the 429 and its headers, the daily quota's 403,
 * the quota endpoint, the batch endpoint, the read limit, video limits, and concurrency that queues
 * instead of refusing. Windows run on the real clock: a scenario whose responses straddle a window
 * boundary runs again on a fresh key.
 */
@ExtendWith(LocalCloudExtension.class)
class LimitsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IMAGE = "{\"model\":\"sdxl\",\"prompt\":\"a red fox\"}";
    private static final String VIDEO = "{\"model\":\"kling\",\"prompt\":\"waves\",\"duration\":5}";
    private static final int ATTEMPTS = 3;
    private static LocalCloud cloud;
    private static Api api;

    @BeforeAll
    static void start(LocalCloud localCloud) {
        cloud = localCloud;
        api = new Api(cloud);
        cloud.services().providers().configure("sdxl", JSON.createObjectNode().put("latency_ms", 300));
        cloud.services().providers().configure("kling", JSON.createObjectNode().put("latency_ms", 1500));
    }

    /**
     * Runs {@code scenario} on fresh keys until one run falls inside one minute of the clock, then
     * checks what it returned: a run that straddles a minute boundary sees two windows.
     */
    private static void inOneWindow(String name, Function<Integer, Runnable> scenario) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            long before = Instant.now().getEpochSecond() / 60;
            Runnable check = scenario.apply(attempt);
            if (Instant.now().getEpochSecond() / 60 == before) {
                check.run();
                return;
            }
        }
        fail(name + ": every attempt straddled a minute boundary");
    }

    @Test
    void a429NamesTheRuleAndCarriesEveryRateLimitHeader() {
        inOneWindow("429", attempt -> {
            var key = cloud.issueKey("lim-429-" + attempt, "free");
            for (int i = 0; i < 10; i++) {
                api.post("/v1/images/generations", key.value(), IMAGE);
            }
            Api.Response refused = api.post("/v1/images/generations", key.value(), IMAGE);
            return () -> {
                assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
                JsonNode body = refused.json();
                assertThat(body.path("error").path("rule").asText()).isEqualTo("plan_requests_per_minute");
                assertThat(body.path("error").path("message").asText()).contains("10 requests per minute");
                assertThat(body.path("rate_limit").path("rule").asText()).isEqualTo("plan_requests_per_minute");
                assertThat(body.path("rate_limit").path("reset_at").asText()).isEqualTo(
                        Instant.ofEpochSecond(Long.parseLong(refused.header("X-RateLimit-Reset"))).toString());
                assertThat(refused.header("RateLimit-Policy")).startsWith("\"plan_requests_per_minute\";q=10;w=60");
                assertThat(refused.header("RateLimit-Policy")).contains("\"model.sdxl.images_per_minute\";q=20;w=60");
                assertThat(refused.header("RateLimit")).startsWith("\"plan_requests_per_minute\";r=0;t="
                        + refused.header("Retry-After"));
            };
        });
    }

    @Test
    void theDailyQuotaRefusesWith403AndTheQuotaBody() {
        var key = cloud.issueKey(LocalCloudExtension.SMALL_DAILY_QUOTA_TENANT, "starter");
        for (int i = 0; i < 3; i++) {
            Api.Response admitted = api.post("/v1/images/generations", key.value(), IMAGE);
            assertThat(admitted.status()).as(admitted.toString()).isEqualTo(202);
        }
        Api.Response refused = api.post("/v1/images/generations", key.value(), IMAGE);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        JsonNode body = refused.json();
        assertThat(body.path("error").path("code").asText()).isEqualTo("daily_quota_exceeded");
        assertThat(body.path("tier").asText()).isEqualTo("starter");
        assertThat(body.path("daily_tasks").path("limit").asInt()).isEqualTo(3);
        assertThat(body.path("daily_tasks").path("used").asInt()).isEqualTo(3);
        assertThat(body.path("daily_tasks").path("remaining").asInt()).isZero();
        Instant midnight = Instant.ofEpochSecond((Instant.now().getEpochSecond() / 86400 + 1) * 86400);
        assertThat(body.path("resets_at").asText()).isEqualTo(midnight.toString());
        assertThat(refused.header("X-RateLimit-Limit")).isEqualTo("3");
    }

    @Test
    void theQuotaEndpointShowsSeed002sFieldsAndEveryRuleOfTheKey() {
        var key = cloud.issueKey("lim-quota", "professional");
        api.post("/v1/images/generations", key.value(), IMAGE);
        Api.Response quota = api.get("/v1/quota", key.value());
        assertThat(quota.status()).as(quota.toString()).isEqualTo(200);
        JsonNode body = quota.json();
        assertThat(body.path("tier").asText()).isEqualTo("professional");
        assertThat(body.path("daily_tasks").path("limit").asInt()).isEqualTo(5000);
        assertThat(body.path("daily_tasks").path("used").asInt()).isEqualTo(1);
        assertThat(body.path("daily_tasks").path("remaining").asInt()).isEqualTo(4999);
        assertThat(body.path("concurrent_tasks").path("limit").asInt()).isEqualTo(25);
        assertThat(body.path("concurrent_tasks").has("active")).isTrue();
        assertThat(body.path("resets_at").asText()).endsWith("T00:00:00Z");
        List<String> rules = new ArrayList<>();
        body.path("rate_limits").forEach(r -> rules.add(r.path("rule").asText()));
        assertThat(rules).contains("reads_per_minute", "plan_requests_per_minute", "create_requests_per_minute",
                "daily_tasks", "model.sdxl.images_per_minute", "model.kling.requests_per_minute",
                "video_requests_per_minute", "videos_per_30_minutes", "videos_per_24_hours",
                "operation.upscale.images_per_minute", "operation.image-to-video.requests_per_minute");
        assertThat(quota.header("X-RateLimit-Limit")).as("a quota read counts as a read").isEqualTo("120");
    }

    @Test
    void theQuotaShowsSeed002sConcurrencyByKindAndTheWorkflowAndTrainingRules() {
        var key = cloud.issueKey("lim-kinds", "starter");
        Api.Response quota = api.get("/v1/quota", key.value());
        assertThat(quota.status()).as(quota.toString()).isEqualTo(200);
        JsonNode body = quota.json();
        assertThat(body.path("concurrent_generation_tasks").toString()).isEqualTo("{\"limit\":10,\"active\":0}");
        assertThat(body.path("concurrent_workflows").toString()).isEqualTo("{\"limit\":5,\"active\":0}");
        assertThat(body.path("concurrent_trainings").toString()).isEqualTo("{\"limit\":2,\"active\":0}");
        assertThat(body.path("rate_limits").toString())
                .contains("\"rule\":\"workflow_requests_per_minute\",\"unit\":\"requests\",\"window\":\"fixed\","
                        + "\"window_seconds\":60,\"per\":\"tenant\",\"limit\":20")
                .contains("\"rule\":\"training_requests_per_hour\",\"unit\":\"requests\",\"window\":\"rolling\","
                        + "\"window_seconds\":3600,\"per\":\"tenant\",\"limit\":5");
    }

    @Test
    void aBatchAnswersEachTaskOnItsOwnInOrder() {
        inOneWindow("batch", attempt -> {
            var key = cloud.issueKey("lim-batch-" + attempt, "free");
            StringBuilder tasks = new StringBuilder("{\"tasks\":[");
            tasks.append("{\"kind\":\"image\",\"model\":\"sdxl\"}");
            for (int i = 0; i < 11; i++) {
                tasks.append(",{\"kind\":\"image\",\"model\":\"sdxl\",\"prompt\":\"fox ").append(i).append("\"}");
            }
            tasks.append("]}");
            Api.Response batch = api.post("/v1/generations/batch", key.value(), tasks.toString());
            return () -> {
                assertThat(batch.status()).as(batch.toString()).isEqualTo(200);
                JsonNode results = batch.json().path("results");
                assertThat(results).hasSize(12);
                assertThat(results.get(0).path("status").asInt()).isEqualTo(400);
                assertThat(results.get(0).path("error").path("param").asText()).isEqualTo("tasks[0].prompt");
                for (int i = 1; i <= 10; i++) {
                    assertThat(results.get(i).path("index").asInt()).isEqualTo(i);
                    assertThat(results.get(i).path("status").asInt()).as("task %d", i).isEqualTo(202);
                    assertThat(results.get(i).path("job").path("id").asText()).startsWith("gen_");
                }
                assertThat(results.get(11).path("status").asInt()).as("the eleventh request of the minute")
                        .isEqualTo(429);
                assertThat(results.get(11).path("rate_limit").path("rule").asText())
                        .isEqualTo("plan_requests_per_minute");
                assertThat(batch.json().path("admitted").asInt()).isEqualTo(10);
            };
        });
    }

    @Test
    void statusReadsAreLimitedTo120AMinuteAndNeverUseUpCreation() {
        inOneWindow("reads", attempt -> {
            var key = cloud.issueKey("lim-reads-" + attempt, "free");
            Api.Response created = api.post("/v1/images/generations", key.value(), IMAGE);
            String id = created.json().path("id").asText();
            // From several clients at once, so that a slow machine still sends them all within a minute.
            List<Api.Response> reads = inParallel(121, () -> api.get("/v1/generations/" + id, key.value()));
            Api.Response another = api.post("/v1/images/generations", key.value(), IMAGE);
            return () -> {
                List<Api.Response> allowed = reads.stream().filter(r -> r.status() == 200).toList();
                List<Api.Response> refused = reads.stream().filter(r -> r.status() != 200).toList();
                assertThat(allowed).as("reads answered").hasSize(120);
                assertThat(allowed).as("the last read allowed").anySatisfy(
                        r -> assertThat(r.header("X-RateLimit-Remaining")).isEqualTo("0"));
                assertThat(refused).as("the 121st read").singleElement().satisfies(r -> {
                    assertThat(r.status()).as(r.toString()).isEqualTo(429);
                    assertThat(r.json().path("rate_limit").path("rule").asText()).isEqualTo("reads_per_minute");
                });
                assertThat(another.status()).as("creation is not counted by reads").isEqualTo(202);
                assertThat(another.header("RateLimit")).contains("\"plan_requests_per_minute\";r=8;");
            };
        });
    }

    /** {@code count} calls from eight clients at once; their answers, in no particular order. */
    private static List<Api.Response> inParallel(int count, Supplier<Api.Response> call) {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<Api.Response>> answers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                answers.add(clients.submit(call::get));
            }
            List<Api.Response> responses = new ArrayList<>();
            for (Future<Api.Response> answer : answers) {
                responses.add(answer.get());
            }
            return responses;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            clients.shutdown();
        }
    }

    @Test
    void theEleventhImageToImageOfAMinuteIsRefusedBySeed001sOperationLimitNamingIt() {
        inOneWindow("operation", attempt -> {
            var key = cloud.issueKey("lim-operation-" + attempt, "pro");
            String image = api.upload(key.value(), "image/png", run.creativeai.gateway.testing.TestImages.png(64, 64));
            String body = "{\"model\":\"sdxl\",\"prompt\":\"in ink\",\"image\":\"" + image + "\"}";
            List<Api.Response> responses = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                responses.add(api.post("/v1/images/generations", key.value(), body));
            }
            JsonNode quota = api.get("/v1/quota", key.value()).json();
            return () -> {
                assertThat(responses.subList(0, 10)).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(202));
                Api.Response eleventh = responses.get(10);
                assertThat(eleventh.status()).as(eleventh.toString()).isEqualTo(429);
                assertThat(eleventh.json().path("error").path("rule").asText())
                        .isEqualTo("operation.image-to-image.images_per_minute");
                assertThat(eleventh.json().path("rate_limit").path("unit").asText()).isEqualTo("images");
                assertThat(eleventh.header("X-RateLimit-Limit")).isEqualTo("10");
                assertThat(eleventh.header("RateLimit-Policy"))
                        .contains("\"operation.image-to-image.images_per_minute\";q=10;w=60");
                List<String> used = new ArrayList<>();
                quota.path("rate_limits").forEach(r -> used.add(r.path("rule").asText() + "=" + r.path("used").asInt()));
                assertThat(used).contains("operation.image-to-image.images_per_minute=10", "model.sdxl.images_per_minute=10");
            };
        });
    }

    @Test
    void theSixthVideoOfAMinuteIsRefusedByTheVideoLimitNamingIt() {
        inOneWindow("videos", attempt -> {
            var key = cloud.issueKey("lim-video-" + attempt, "pro");
            List<Api.Response> responses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                responses.add(api.post("/v1/video/generations", key.value(), VIDEO));
            }
            return () -> {
                assertThat(responses.subList(0, 5)).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(202));
                Api.Response sixth = responses.get(5);
                assertThat(sixth.status()).as(sixth.toString()).isEqualTo(429);
                assertThat(sixth.json().path("error").path("rule").asText()).isEqualTo("video_requests_per_minute");
                assertThat(sixth.json().path("rate_limit").path("per").asText()).isEqualTo("tenant");
            };
        });
    }

    @Test
    void jobsBeyondTheConcurrentLimitAreQueuedNotRefusedAndRunOneAtATime() {
        var key = cloud.issueKey(LocalCloudExtension.ONE_SLOT_TENANT, "pro");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Api.Response created = api.post("/v1/images/generations", key.value(), IMAGE);
            assertThat(created.status()).as("never refused for concurrency: " + created).isEqualTo(202);
            ids.add(created.json().path("id").asText());
        }
        List<JsonNode> done = new ArrayList<>();
        for (String id : ids) {
            done.add(api.awaitJob(id, key.value(), j -> j.path("status").asText().equals("succeeded"),
                    Duration.ofSeconds(60)));
        }
        assertThat(done).allSatisfy(j -> assertThat(j.path("status").asText()).as(j.toString()).isEqualTo("succeeded"));
        done.sort(java.util.Comparator.comparing(j -> j.path("started_at").asText()));
        for (int i = 1; i < done.size(); i++) {
            Instant previousEnd = Instant.parse(done.get(i - 1).path("finished_at").asText());
            Instant start = Instant.parse(done.get(i).path("started_at").asText());
            assertThat(start).as("one slot: job %d starts after job %d finished", i + 1, i)
                    .isAfterOrEqualTo(previousEnd);
        }
        // The slot is given back just after the job is stored as succeeded; look until it is.
        await("the one slot is given back").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
            JsonNode quota = api.get("/v1/quota", key.value()).json();
            assertThat(quota.path("concurrent_tasks").path("limit").asInt()).isEqualTo(1);
            assertThat(quota.path("concurrent_tasks").path("active").asInt()).as("every slot given back").isZero();
        });
    }

}
