package run.creativeai.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client's own retries, seen on the wire of a scripted server, with a clock that moves only when it sleeps. */
class RetriesTest {
    private final ScriptedApi api = new ScriptedApi();
    private final FakeTime time = new FakeTime();
    private final AtomicInteger keys = new AtomicInteger();
    private final CreativeAiClient client = CreativeAiClient.builder().baseUrl(api.url()).apiKey("sk-test")
            .clock(time).sleeper(time).random(() -> 0.5).idempotencyKeys(() -> "key-" + keys.incrementAndGet()).build();

    @AfterEach
    void stop() {
        api.close();
    }

    private static final String RATE_LIMITED = "{\"error\":{\"type\":\"rate_limit_error\",\"code\":\"rate_limit_exceeded\","
            + "\"message\":\"Rate limit exceeded: 10 requests per minute\",\"param\":null,\"rule\":\"plan_requests_per_minute\"},"
            + "\"retry_after\":7,\"rate_limit\":{\"rule\":\"plan_requests_per_minute\"}}";

    @Test
    void a429IsSentAgainAfterItsRetryAfterUnderTheSameIdempotencyKey() {
        api.then(429, RATE_LIMITED, "Retry-After", "7", "X-RateLimit-Limit", "10", "X-RateLimit-Remaining", "0")
                .then(202, ScriptedApi.job("gen_1", "queued"));

        Generation job = client.create(ImageRequest.of("sdxl", "a fox"));

        assertThat(job.id()).isEqualTo("gen_1");
        assertThat(time.sleeps()).singleElement().satisfies(d -> assertThat(d).isBetween(Duration.ofSeconds(7),
                Duration.ofMillis(7700)));
        List<ScriptedApi.Received> sent = api.received();
        assertThat(sent).hasSize(2).allSatisfy(r -> assertThat(r.header("Idempotency-Key")).isEqualTo("key-1"));
        assertThat(sent.get(0).body()).isEqualTo(sent.get(1).body());
    }

    @Test
    void eachCreateCallHasAKeyOfItsOwnAndTheCallersKeyWins() {
        api.then(202, ScriptedApi.job("gen_1", "queued")).then(202, ScriptedApi.job("gen_2", "queued"))
                .then(202, ScriptedApi.job("gen_3", "queued"));
        client.create(ImageRequest.of("sdxl", "one"));
        client.create(ImageRequest.of("sdxl", "two"));
        client.create(ImageRequest.of("sdxl", "three"), RequestOptions.DEFAULT.withIdempotencyKey("order-42"));
        assertThat(api.received()).extracting(r -> r.header("Idempotency-Key")).containsExactly("key-1", "key-2", "order-42");
    }

    @Test
    void aRetryAfterLongerThanThePolicyWaitsIsThrownAtOnceWithTheRuleAndTheLimits() {
        api.then(429, RATE_LIMITED.replace("\"retry_after\":7", "\"retry_after\":1700"), "Retry-After", "1700",
                "X-RateLimit-Limit", "30", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "1796464800",
                "X-Request-Id", "req-9");

        assertThatThrownBy(() -> client.create(VideoRequest.of("kling", "waves", 5)))
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.code()).isEqualTo("rate_limit_exceeded");
                    assertThat(e.rule()).contains("plan_requests_per_minute");
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(1700));
                    assertThat(e.rateLimit().orElseThrow().limit()).hasValue(30);
                    assertThat(e.rateLimit().orElseThrow().remaining()).hasValue(0);
                    assertThat(e.requestId()).contains("req-9");
                    assertThat(e.getMessage()).contains("10 requests per minute").contains("req-9");
                });
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void withoutRetryAfterA503Or504IsRetriedWithCappedExponentialBackoffThenThrownAsItsFamily() {
        String full = ScriptedApi.error("service_unavailable_error", "service_unavailable", "the queue is full", null);
        api.then(503, full).then(504, "{\"message\":\"Gateway Timeout\"}").then(503, full).then(503, full);

        assertThatThrownBy(() -> client.get("gen_1")).isInstanceOfSatisfying(ServiceUnavailableException.class,
                e -> assertThat(e.code()).isEqualTo("service_unavailable"));
        assertThat(time.sleeps()).containsExactly(Duration.ofMillis(475), Duration.ofMillis(950), Duration.ofMillis(1900));
        assertThat(api.received()).hasSize(4);
    }

    @Test
    void aCreateStillBeingProcessedUnderItsKeyIsAskedAgainAndItsReplayIsMarked() {
        api.then(409, ScriptedApi.error("invalid_request_error", "idempotency_key_in_use", "still processing",
                "Idempotency-Key"), "Retry-After", "1")
                .then(202, ScriptedApi.job("gen_1", "queued"), "Idempotent-Replayed", "true");

        Generation job = client.create(ImageRequest.of("sdxl", "a fox"));

        assertThat(job.replayed()).isTrue();
        assertThat(time.sleeps()).singleElement().satisfies(d -> assertThat(d).isBetween(Duration.ofSeconds(1),
                Duration.ofMillis(1250)));
    }

    @Test
    void anyOther409IsTheCallersToHandle() {
        api.then(409, ScriptedApi.error("invalid_request_error", "generation_ended", "generation gen_1 has ended", null));
        assertThatThrownBy(() -> client.cancel("gen_1")).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.status()).isEqualTo(409);
            assertThat(e.code()).isEqualTo("generation_ended");
        });
        assertThat(api.received()).hasSize(1);
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void noAnswerAtAllIsRetriedThenReportedWithTheKeyToSendAgain() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        CreativeAiClient unreachable = CreativeAiClient.builder().baseUrl("http://127.0.0.1:" + closedPort)
                .apiKey("sk-test").clock(time).sleeper(time).random(() -> 0.5).idempotencyKeys(() -> "key-x").build();

        assertThatThrownBy(() -> unreachable.create(ImageRequest.of("sdxl", "a fox")))
                .isInstanceOfSatisfying(ApiConnectionException.class, e -> {
                    assertThat(e.idempotencyKey()).contains("key-x");
                    assertThat(e.getMessage()).contains("4 attempt(s)");
                });
        assertThat(time.sleeps()).hasSize(3);
    }
}
