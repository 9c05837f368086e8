package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.local.services.SimulatedProviders;
import run.creativeai.local.services.WebhookReceiver;

/**
 * The dispatcher as customers see it, against the simulated providers: failover along both chains
 * for every way a first link fails, a provider going down mid-job and its circuit opening and
 * recovering, cancel in every state, {@code Prefer: wait}, the timing headers, and enterprise work
 * served first on a saturated provider without starving the free tier. Every job a test creates is
 * awaited to a terminal state.
 */
@ExtendWith(LocalCloudExtension.class)
class DispatchEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> PROVIDERS = List.of("seedream", "flux", "sdxl", "kling", "seedance", "vidu");
    private static final Predicate<JsonNode> ENDED = j -> j.path("status").asText().matches("succeeded|failed|canceled");
    private static final Duration POLL = Duration.ofMillis(100);
    /** How long a job holds a provider that must still be full when the next job arrives, on any machine. */
    private static final long BLOCKER_LATENCY_MS = 8000;

    private static LocalCloud cloud;
    private static Api api;
    private static SimulatedProviders providers;
    private static ObjectNode initial;

    @BeforeAll
    static void start(LocalCloud localCloud) {
        cloud = localCloud;
        api = new Api(cloud);
        providers = cloud.services().providers();
        initial = providers.describeAll();
    }

    /** Each test leaves the providers as it found them. */
    @AfterEach
    void restoreProviders() {
        for (String name : PROVIDERS) {
            JsonNode was = initial.path(name);
            configure(name, JSON.createObjectNode().put("mode", "up").put("capacity", was.path("capacity").asInt())
                    .put("failure_rate", was.path("failure_rate").asDouble()).put("callbacks", true)
                    .set("latency_ms", was.path("latency_ms")));
        }
    }

    // ---------------------------------------------------------------- transient faults

    /**
     * A job start whose message fails on a transient fault (here the tenant slot's write timing out) is
     * tried again after a back-off of seconds: the job queue's visibility timeout is 12 minutes, and
     * the message would otherwise sit out of sight that long.
     */
    @Test
    void aStartThatFailsOnATransientFaultIsTriedAgainWithinSecondsNotAfterTheVisibilityTimeout() {
        String tenant = "dispatch-transient";
        String key = cloud.issueKey(tenant, "enterprise").value();
        String slot = "slots#tenant#" + tenant;
        try (CrashInjection.Fault fault = CrashInjection.armTransient("dispatcher: the tenant slot's write times out",
                r -> r instanceof software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest u
                        && slot.equals(u.key().get("pk") == null ? null : u.key().get("pk").s()))) {
            String id = create("/v1/images/generations", key, "{\"model\":\"sdxl\",\"prompt\":\"transient\"}");
            fault.awaitFired(JOB_TIMEOUT);
            // Well inside the 720 s the message would otherwise wait, with room for a loaded machine.
            JsonNode job = api.awaitJob(id, key, ENDED, Duration.ofSeconds(90));
            assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        }
    }

    // ---------------------------------------------------------------- failover

    @Test
    void everyWayAFirstLinkFailsHandsTheJobToTheNextLinkOnBothChains() {
        String key = cloud.issueKey("dispatch-failover", "enterprise").value();
        for (String video : List.of("kling", "seedance", "vidu")) {
            configure(video, "{\"latency_ms\":300}");
        }
        // Between the failing cases a slow but answering provider serves the job itself: no circuit opens.
        record Case(String name, String settings, String outcome, String detail, String mentions) {
        }
        List<Case> cases = List.of(
                new Case("down", "{\"mode\":\"down\"}", "unavailable", "capacity:", "HTTP 503"),
                new Case("flaky", "{\"mode\":\"flaky\",\"failure_rate\":1.0}", "unavailable", "server_error:",
                        "HTTP 500"),
                new Case("garbage JSON", "{\"mode\":\"garbage\"}", "unavailable", "malformed_response:", ""),
                new Case("hanging connection", "{\"mode\":\"slow\",\"latency_ms\":6000}", "timed_out", "timeout:",
                        "no answer within 5 s"));
        for (Case c : cases.subList(0, 2)) {
            assertFailsOver(key, c.name(), c.settings(), c.outcome(), c.detail(), c.mentions());
        }
        // Slow (each call answered after 0.5 s, inside every deadline): late, but not a failure.
        configure("seedream", "{\"mode\":\"slow\",\"latency_ms\":500}");
        JsonNode slow = awaitEnded(create("/v1/images/generations", key, "{\"model\":\"seedream\",\"prompt\":\"slow\"}"), key);
        assertThat(slow.path("status").asText()).as(slow.toString()).isEqualTo("succeeded");
        assertThat(slow.path("model_actual").asText()).isEqualTo("seedream");
        assertThat(slow.path("failover_used").asBoolean()).isFalse();
        configure("seedream", "{\"mode\":\"up\",\"latency_ms\":null}");

        assertFailsOverOn429(key);
        for (Case c : cases.subList(2, 4)) {
            assertFailsOver(key, c.name(), c.settings(), c.outcome(), c.detail(), c.mentions());
        }
    }

    private static void assertFailsOver(String key, String name, String settings, String outcome, String detail,
            String mentions) {
        configure("seedream", settings);
        configure("kling", settings);
        try {
            String image = create("/v1/images/generations", key, "{\"model\":\"seedream\",\"prompt\":\"" + name + "\"}");
            String video = create("/v1/video/generations", key,
                    "{\"model\":\"kling\",\"prompt\":\"" + name + "\",\"duration\":5}");
            for (String id : List.of(image, video)) {
                JsonNode job = awaitEnded(id, key);
                assertThat(job.path("status").asText()).as(name + ": " + job).isEqualTo("succeeded");
                assertThat(job.path("failover_used").asBoolean()).as(name).isTrue();
                JsonNode first = job.path("attempts").get(0);
                assertThat(first.path("model").asText()).isIn("seedream", "kling");
                assertThat(first.path("outcome").asText()).as(name + ": " + first).isEqualTo(outcome);
                assertThat(first.path("detail").asText()).as(name).startsWith(detail).contains(mentions);
                assertThat(job.path("model_actual").asText()).as(name).isNotEqualTo(first.path("model").asText());
            }
        } finally {
            configure("seedream", "{\"mode\":\"up\",\"latency_ms\":null}");
            configure("kling", "{\"mode\":\"up\",\"latency_ms\":300}");
        }
    }

    /**
     * A provider at its own capacity answers 429: the job goes to the next link, the first job is
     * unharmed. The first jobs run long enough to hold both providers until the second ones arrive,
     * however slowly the machine passes them along.
     */
    private static void assertFailsOverOn429(String key) {
        configure("seedream", "{\"capacity\":1,\"latency_ms\":" + BLOCKER_LATENCY_MS + "}");
        configure("kling", "{\"capacity\":1,\"latency_ms\":" + BLOCKER_LATENCY_MS + "}");
        String imageBlocker = create("/v1/images/generations", key, "{\"model\":\"seedream\",\"prompt\":\"first\"}");
        String videoBlocker = create("/v1/video/generations", key, "{\"model\":\"kling\",\"prompt\":\"first\",\"duration\":5}");
        await("both providers are full").atMost(JOB_TIMEOUT).pollInterval(POLL).until(() ->
                providers.submissionsFor("seedream", imageBlocker) == 1 && providers.submissionsFor("kling", videoBlocker) == 1);
        String image = create("/v1/images/generations", key, "{\"model\":\"seedream\",\"prompt\":\"second\"}");
        String video = create("/v1/video/generations", key, "{\"model\":\"kling\",\"prompt\":\"second\",\"duration\":5}");
        for (String id : List.of(image, video)) {
            JsonNode job = awaitEnded(id, key);
            assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
            assertThat(job.path("attempts").get(0).path("detail").asText()).startsWith("capacity:").contains("429");
            assertThat(job.path("failover_used").asBoolean()).isTrue();
        }
        for (String id : List.of(imageBlocker, videoBlocker)) {
            assertThat(awaitEnded(id, key).path("failover_used").asBoolean()).isFalse();
        }
    }

    @Test
    void aProviderThatGoesDownMidJobOpensItsCircuitTheJobMovesOnAndTheCircuitRecovers() {
        String key = cloud.issueKey("dispatch-outage", "enterprise").value();
        configure("seedream", "{\"latency_ms\":3000}");
        String running = create("/v1/images/generations", key, "{\"model\":\"seedream\",\"prompt\":\"mid-job\"}");
        await("seedream runs the job").atMost(JOB_TIMEOUT).pollInterval(POLL)
                .until(() -> providers.submissionsFor("seedream", running) == 1);

        configure("seedream", "{\"mode\":\"down\"}");
        // New work fails at once and opens the shared circuit; the running job's next look then finds it open.
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            others.add(create("/v1/images/generations", key, "{\"model\":\"seedream\",\"prompt\":\"during " + i + "\"}"));
        }
        JsonNode moved = awaitEnded(running, key);
        assertThat(moved.path("status").asText()).as(moved.toString()).isEqualTo("succeeded");
        assertThat(moved.path("model_actual").asText()).isEqualTo("flux");
        assertThat(moved.path("attempts").get(0).path("detail").asText()).startsWith("circuit_open");
        others.forEach(id -> assertThat(awaitEnded(id, key).path("model_actual").asText()).isEqualTo("flux"));

        // While seedream stays down its circuit is open but for a probe after each cool-down, which fails
        // and opens it again; however long the machine took to get here, a job soon finds it open.
        await("a job finds seedream's circuit open and passes it over without calling it").atMost(JOB_TIMEOUT)
                .pollInterval(POLL).until(() -> {
                    long callsBefore = providers.requests("seedream");
                    JsonNode job = awaitEnded(create("/v1/images/generations", key,
                            "{\"model\":\"seedream\",\"prompt\":\"open\"}"), key);
                    return job.path("attempts").get(0).path("detail").asText().contains("circuit open")
                            && providers.requests("seedream") == callsBefore;
                });

        configure("seedream", "{\"mode\":\"up\",\"latency_ms\":null}");
        await("after the cool-down a probe closes the circuit again: a job is served by seedream").atMost(JOB_TIMEOUT)
                .pollInterval(POLL).until(() -> servedBy("seedream", key));
        JsonNode after = awaitEnded(create("/v1/images/generations", key, "{\"model\":\"seedream\",\"prompt\":\"closed\"}"), key);
        assertThat(after.path("model_actual").asText()).isEqualTo("seedream");
    }

    /** Whether a job submitted to {@code provider} is served by it, once it has ended. */
    private static boolean servedBy(String provider, String key) {
        JsonNode job = awaitEnded(create("/v1/images/generations", key,
                "{\"model\":\"" + provider + "\",\"prompt\":\"probe\"}"), key);
        return job.path("model_actual").asText().equals(provider);
    }

    // ---------------------------------------------------------------- cancel

    @Test
    void aCancelledQueuedJobNeverReachesAProviderAndARunningOneIsStoppedThereAndAnnounced() {
        String tenant = LocalCloudExtension.ONE_SLOT_TENANT;
        String key = cloud.issueKey(tenant, "pro").value();
        configure("sdxl", "{\"latency_ms\":20000}");
        String path = "/cancel-" + UUID.randomUUID();
        URI hook = URI.create(cloud.apiUrl() + "/_local/webhooks" + path);
        long canceledBefore = providers.cancellations("sdxl");

        String running = create("/v1/images/generations", key,
                "{\"model\":\"sdxl\",\"prompt\":\"long\",\"webhook_url\":\"" + hook + "\"}");
        await("sdxl runs the first job").atMost(JOB_TIMEOUT).pollInterval(POLL)
                .until(() -> providers.submissionsFor("sdxl", running) == 1);
        // The tenant's only slot is taken: this one waits in its queue.
        String queued = create("/v1/images/generations", key, "{\"model\":\"sdxl\",\"prompt\":\"waiting\"}");

        Api.Response cancelQueued = api.delete("/v1/generations/" + queued, key);
        assertThat(cancelQueued.status()).as(cancelQueued.toString()).isEqualTo(200);
        assertThat(cancelQueued.json().path("status").asText()).isEqualTo("canceled");

        Api.Response cancelRunning = api.delete("/v1/generations/" + running, key);
        assertThat(cancelRunning.status()).as(cancelRunning.toString()).isEqualTo(200);
        assertThat(cancelRunning.json().path("attempts").get(0).path("outcome").asText()).isEqualTo("canceled");

        WebhookReceiver.Delivery event = cloud.services().webhooks()
                .await(d -> d.path().equals(path), 1, JOB_TIMEOUT).get(0);
        assertThat(json(event.bodyText()).path("type").asText()).isEqualTo("generation.canceled");
        assertThat(json(event.bodyText()).path("data").path("status").asText()).isEqualTo("canceled");

        // The slot is free again: the next job of the one-slot tenant starts, and it is the only other submission.
        configure("sdxl", "{\"latency_ms\":200}");
        JsonNode next = awaitEnded(create("/v1/images/generations", key, "{\"model\":\"sdxl\",\"prompt\":\"next\"}"), key);
        assertThat(next.path("status").asText()).as(next.toString()).isEqualTo("succeeded");
        // The dispatcher's cancel reaches the provider asynchronously.
        await("the running job is stopped at sdxl").atMost(JOB_TIMEOUT).pollInterval(POLL)
                .until(() -> providers.cancellations("sdxl") >= canceledBefore + 1);
        assertThat(providers.submissionsFor("sdxl", queued)).as("the cancelled queued job never reached sdxl").isZero();
        assertThat(providers.submissionsFor("sdxl", next.path("id").asText())).as("the next job, once").isEqualTo(1);
        JsonNode neverRan = api.get("/v1/generations/" + queued, key).json();
        assertThat(neverRan.path("status").asText()).isEqualTo("canceled");
        assertThat(neverRan.path("attempts")).isEmpty();

        Api.Response again = api.delete("/v1/generations/" + next.path("id").asText(), key);
        assertThat(again.status()).as(again.toString()).isEqualTo(409);
        assertThat(again.json().path("error").path("code").asText()).isEqualTo("generation_ended");
        assertThat(again.json().path("error").path("message").asText()).contains("already succeeded");

        String stranger = cloud.issueKey("dispatch-stranger", "pro").value();
        Api.Response notYours = api.delete("/v1/generations/" + running, stranger);
        assertThat(notYours.status()).as("another tenant's job is not found").isEqualTo(404);
    }

    // ---------------------------------------------------------------- Prefer: wait and headers

    @Test
    void preferWaitAnswersWithTheFinishedJobAndItsRecordedTimings() {
        String key = cloud.issueKey("dispatch-prefer", "pro").value();
        configure("sdxl", "{\"latency_ms\":300}");
        Api.Response finished = api.send(request("/v1/images/generations", key, "wait=20",
                "{\"model\":\"sdxl\",\"prompt\":\"quick\"}"));
        assertThat(finished.status()).as(finished.toString()).isEqualTo(200);
        assertThat(finished.header("Preference-Applied")).isEqualTo("wait=20");
        JsonNode job = finished.json();
        assertThat(job.path("status").asText()).isEqualTo("succeeded");
        assertThat(finished.header("X-Model")).isEqualTo("sdxl");
        assertThat(finished.header("X-Queue-Wait")).isEqualTo(job.path("timings").path("queue_wait_ms").asLong() + "ms");
        assertThat(finished.header("X-Inference-Time")).isEqualTo(job.path("timings").path("inference_ms").asLong() + "ms");
        assertThat(job.path("timings").path("inference_ms").asLong()).as("at least the provider's run time")
                .isGreaterThanOrEqualTo(300);

        configure("sdxl", "{\"latency_ms\":2500}");
        Api.Response late = api.send(request("/v1/images/generations", key, "wait=1", "{\"model\":\"sdxl\",\"prompt\":\"slow\"}"));
        assertThat(late.status()).as(late.toString()).isEqualTo(202);
        assertThat(late.header("Preference-Applied")).isNull();
        assertThat(late.json().path("status").asText()).isIn("queued", "running");

        Api.Response bad = api.send(request("/v1/images/generations", key, "wait=30", "{\"model\":\"sdxl\",\"prompt\":\"x\"}"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("error").path("param").asText()).isEqualTo("Prefer");
        assertThat(awaitEnded(late.json().path("id").asText(), key).path("status").asText()).isEqualTo("succeeded");
    }

    private static HttpRequest.Builder request(String path, String key, String prefer, String body) {
        return HttpRequest.newBuilder(cloud.apiUrl().resolve(path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").header("Prefer", prefer)
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    // ---------------------------------------------------------------- priority

    /**
     * A free backlog waits on one small, slow provider (vidu, four gateway slots) when enterprise work
     * arrives: the enterprise jobs start before the free jobs that were already waiting (all but the
     * one slot the three enterprise jobs leave), and the free jobs all finish too. Ordering is read
     * from the jobs' recorded times, so a slow machine changes how long it takes, not what holds; and
     * the first free jobs run long enough that the rest are still waiting when the enterprise work
     * arrives, however slowly the machine admits it.
     */
    @Test
    void enterpriseJobsOvertakeAFreeBacklogOnASaturatedProviderAndFreeStillProgresses() throws Exception {
        configure("vidu", "{\"latency_ms\":5000}");
        String free = cloud.issueKey(LocalCloudExtension.FREE_FLOOD_TENANT, "free").value();
        String enterprise = cloud.issueKey("dispatch-priority", "enterprise").value();
        String video = "{\"model\":\"vidu\",\"prompt\":\"flood\",\"duration\":5}";
        List<String> freeIds = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            freeIds.add(create("/v1/video/generations", free, video));
        }
        await("free work fills vidu's slots").atMost(JOB_TIMEOUT).pollInterval(POLL)
                .until(() -> freeIds.stream().mapToLong(id -> providers.submissionsFor("vidu", id)).sum()
                        >= LocalCloudExtension.SMALL_PROVIDER_SLOTS);
        List<String> enterpriseIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            enterpriseIds.add(create("/v1/video/generations", enterprise, video));
        }
        List<JsonNode> freeJobs;
        List<JsonNode> enterpriseJobs;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<List<JsonNode>> f = pool.submit(() -> awaitAll(freeIds, free));
            Future<List<JsonNode>> e = pool.submit(() -> awaitAll(enterpriseIds, enterprise));
            freeJobs = f.get();
            enterpriseJobs = e.get();
        } finally {
            pool.shutdownNow();
        }
        assertThat(freeJobs).allSatisfy(j -> assertThat(j.path("status").asText()).as(j.toString()).isEqualTo("succeeded"));
        assertThat(enterpriseJobs).allSatisfy(j -> assertThat(j.path("status").asText()).isEqualTo("succeeded"));

        Instant enterpriseArrived = enterpriseJobs.stream().map(j -> Instant.parse(j.path("created_at").asText()))
                .min(Comparator.naturalOrder()).orElseThrow();
        Instant lastEnterpriseStart = enterpriseJobs.stream().map(j -> Instant.parse(j.path("started_at").asText()))
                .max(Comparator.naturalOrder()).orElseThrow();
        List<JsonNode> backlog = freeJobs.stream()
                .filter(j -> Instant.parse(j.path("started_at").asText()).isAfter(enterpriseArrived)).toList();
        long overtaken = backlog.stream()
                .filter(j -> Instant.parse(j.path("started_at").asText()).isAfter(lastEnterpriseStart)).count();
        assertThat(backlog).as("free jobs still waiting when the enterprise work arrived").hasSizeGreaterThanOrEqualTo(3);
        assertThat(overtaken).as("waiting free jobs that started only after every enterprise job had started")
                .isGreaterThanOrEqualTo(backlog.size() - 1L);
        List<JsonNode> viduAttempts = new ArrayList<>();
        for (JsonNode job : freeJobs) {
            job.path("attempts").forEach(viduAttempts::add);
        }
        for (JsonNode job : enterpriseJobs) {
            job.path("attempts").forEach(viduAttempts::add);
        }
        viduAttempts.removeIf(a -> !a.path("model").asText().equals("vidu"));
        assertThat(mostAtOnce(viduAttempts)).as("vidu never ran more jobs at once than its gateway slots")
                .isLessThanOrEqualTo(LocalCloudExtension.SMALL_PROVIDER_SLOTS);
    }

    /**
     * The most attempts running at one moment, from their recorded start and end. Attempts, not jobs:
     * a provider's slot is taken before its attempt starts and given back once the provider is done,
     * while the job finishes only after its outputs are copied, on a slot another job may hold by then.
     */
    static int mostAtOnce(List<JsonNode> attempts) {
        List<long[]> events = new ArrayList<>();
        for (JsonNode a : attempts) {
            events.add(new long[] {Instant.parse(a.path("started_at").asText()).toEpochMilli(), 1});
            events.add(new long[] {Instant.parse(a.path("ended_at").asText()).toEpochMilli(), -1});
        }
        // At the same millisecond an end comes before a start: the slot was given back first.
        events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
        int running = 0;
        int most = 0;
        for (long[] e : events) {
            running += (int) e[1];
            most = Math.max(most, running);
        }
        return most;
    }

    // ---------------------------------------------------------------- helpers

    private static List<JsonNode> awaitAll(List<String> ids, String key) {
        List<JsonNode> jobs = new ArrayList<>();
        for (String id : ids) {
            jobs.add(awaitEnded(id, key));
        }
        return jobs;
    }

    /** Every job ends: succeeded, failed or cancelled, never left queued or running. */
    private static JsonNode awaitEnded(String id, String key) {
        JsonNode job = api.awaitJob(id, key, ENDED, JOB_TIMEOUT);
        assertThat(ENDED.test(job)).as("job reached a terminal state: " + job).isTrue();
        return job;
    }

    private static String create(String path, String key, String body) {
        Api.Response created = api.post(path, key, body);
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        return created.json().path("id").asText();
    }

    private static void configure(String provider, String settings) {
        try {
            configure(provider, JSON.readTree(settings));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void configure(String provider, JsonNode settings) {
        assertThat(providers.configure(provider, settings)).as(provider + " " + settings).isPresent();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
