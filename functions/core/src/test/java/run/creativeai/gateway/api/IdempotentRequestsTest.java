package run.creativeai.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.config.IdSource;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.plan.PlanCatalog;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantStanding;
import run.creativeai.gateway.testing.InMemoryIdempotencyStore;
import run.creativeai.gateway.testing.MutableClock;

class IdempotentRequestsTest {
    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final IdempotentRequests idempotency = new IdempotentRequests(new InMemoryIdempotencyStore(),
            IdSource.random(clock), clock);
    private final AtomicInteger jobsCreated = new AtomicInteger();
    /** A creation route: every run creates a new job and counts it against a limit of 3. */
    private final BiFunction<ApiRequest, Principal, ApiResponse> create = (request, principal) -> {
        int job = jobsCreated.incrementAndGet();
        if (job > 3) {
            jobsCreated.decrementAndGet();
            return new ApiError(429, "rate_limit_error", "rate_limited", "over the limit", java.util.Optional.empty())
                    .toResponse();
        }
        return new ApiResponse(202, Map.of("Content-Type", "application/json", "Location", "/v1/generations/gen_" + job,
                "X-RateLimit-Remaining", Integer.toString(3 - job)), "{\"id\":\"gen_" + job + "\"}");
    };

    private static Principal principal(String tenant) {
        return new Principal(new TenantId(tenant), new KeyId("key_test1"),
                PlanCatalog.defaults().find("pro").orElseThrow(), TenantStanding.ACTIVE);
    }

    private static ApiRequest request(String body, String key) {
        Map<String, String> headers = new HashMap<>();
        if (key != null) {
            headers.put("idempotency-key", key);
        }
        return new ApiRequest(GatewayApi.CREATE_IMAGE, headers, Map.of(), body.getBytes(StandardCharsets.UTF_8),
                "req-1", java.time.Instant.parse("2026-11-23T10:00:00Z"));
    }

    private ApiResponse send(String tenant, String body, String key) {
        return idempotency.handle(request(body, key), principal(tenant), create);
    }

    @Test
    void aRetryWithTheSameKeyAndBodyGetsTheOriginalResponseAndCreatesNothing() {
        ApiResponse first = send("acme", "{\"model\":\"sdxl\",\"prompt\":\"fox\"}", "k-1");
        ApiResponse retry = send("acme", "{\"model\":\"sdxl\",\"prompt\":\"fox\"}", "k-1");

        assertThat(jobsCreated).as("jobs created").hasValue(1);
        assertThat(retry.status()).isEqualTo(202);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.headers()).containsEntry("Location", "/v1/generations/gen_1")
                .containsEntry(IdempotentRequests.REPLAYED, "true")
                .as("a replay counts nothing, so it reports no limit").doesNotContainKey("X-RateLimit-Remaining");
    }

    @Test
    void theSameJsonWithOtherKeyOrderAndSpacingIsTheSameRequest() {
        send("acme", "{\"model\":\"sdxl\",\"prompt\":\"fox\"}", "k-order");
        ApiResponse retry = send("acme", "{ \"prompt\" : \"fox\",\n \"model\":\"sdxl\" }", "\"k-order\"");
        assertThat(retry.status()).isEqualTo(202);
        assertThat(jobsCreated).hasValue(1);
    }

    @Test
    void contentAfterTheJsonObjectMakesADifferentRequest() {
        String body = "{\"model\":\"sdxl\",\"prompt\":\"fox\"}";
        String fingerprint = IdempotentRequests.fingerprint(request(body, "k"));
        assertThat(IdempotentRequests.fingerprint(request(body + " xyz", "k"))).isNotEqualTo(fingerprint);
        assertThat(IdempotentRequests.fingerprint(request(body + "{\"a\":1}", "k"))).isNotEqualTo(fingerprint)
                .isNotEqualTo(IdempotentRequests.fingerprint(request(body + "{\"a\":2}", "k")));
        assertThat(IdempotentRequests.fingerprint(request(body + " \n", "k"))).as("white space is not content")
                .isEqualTo(fingerprint);
    }

    @Test
    void aDifferentCancelAfterMakesADifferentRequestAndTheSameDeadlineSpeltOtherwiseDoesNot() {
        String body = "{\"model\":\"sdxl\",\"prompt\":\"fox\"}";
        String none = IdempotentRequests.fingerprint(request(body, "k"));
        String ninety = IdempotentRequests.fingerprint(withHeader(request(body, "k"), "cancel-after", "90s"));

        assertThat(ninety).as("a deadline changes what the create does").isNotEqualTo(none);
        assertThat(IdempotentRequests.fingerprint(withHeader(request(body, "k"), "cancel-after", "5m")))
                .isNotEqualTo(ninety);
        assertThat(IdempotentRequests.fingerprint(withHeader(request(body, "k"), "cancel-after", " 1m30s")))
                .as("the same deadline spelt otherwise").isEqualTo(ninety);
        assertThat(IdempotentRequests.fingerprint(withHeader(request(body, "k"), "cancel-after", "90")))
                .isEqualTo(ninety);
        assertThat(IdempotentRequests.fingerprint(withHeader(request(body, "k"), "prefer", "wait=10")))
                .as("how the answer comes is not what is created").isEqualTo(none);
    }

    private static ApiRequest withHeader(ApiRequest request, String name, String value) {
        Map<String, String> headers = new HashMap<>(request.headers());
        headers.put(name, value);
        return new ApiRequest(request.routeKey(), headers, request.pathParameters(), request.body(),
                request.requestId(), request.receivedAt());
    }

    @Test
    void theSameKeyWithADifferentBodyIsRefusedWith422NamingTheHeader() {
        send("acme", "{\"model\":\"sdxl\",\"prompt\":\"fox\"}", "k-2");
        ApiResponse other = send("acme", "{\"model\":\"sdxl\",\"prompt\":\"owl\"}", "k-2");

        assertThat(other.status()).isEqualTo(422);
        assertThat(Json.read(other.body()).path("error").path("param").asText()).isEqualTo("Idempotency-Key");
        assertThat(Json.read(other.body()).path("error").path("code").asText()).isEqualTo("idempotency_key_reused");
        assertThat(jobsCreated).hasValue(1);
    }

    @Test
    void keysBelongToTheirTenant() {
        send("acme", "{\"prompt\":\"fox\"}", "shared-key");
        ApiResponse otherTenant = send("globex", "{\"prompt\":\"owl\"}", "shared-key");
        assertThat(otherTenant.status()).as("another tenant's key neither replays nor conflicts").isEqualTo(202);
        assertThat(jobsCreated).hasValue(2);
    }

    @Test
    void aRefusalIsNotKeptSoTheRetryRunsOnceTheLimitAllows() {
        send("acme", "{\"n\":1}", "a");
        send("acme", "{\"n\":2}", "b");
        send("acme", "{\"n\":3}", "c");
        assertThat(send("acme", "{\"n\":4}", "d").status()).isEqualTo(429);
        jobsCreated.set(0);
        ApiResponse retry = send("acme", "{\"n\":4}", "d");
        assertThat(retry.status()).isEqualTo(202);
        assertThat(retry.headers()).doesNotContainKey(IdempotentRequests.REPLAYED);
    }

    @Test
    void aRequestThatDiedHoldsItsKeyOnlyUntilTheInProgressExpiry() {
        BiFunction<ApiRequest, Principal, ApiResponse> dies = (r, p) -> {
            throw new OutOfMemoryError("the function died mid-request");
        };
        assertThatThrownBy(() -> idempotency.handle(request("{\"p\":1}", "k-died"), principal("acme"), dies))
                .isInstanceOf(OutOfMemoryError.class);

        ApiResponse whileHeld = send("acme", "{\"p\":1}", "k-died");
        assertThat(whileHeld.status()).as("the first request may still be running").isEqualTo(409);
        assertThat(whileHeld.headers()).containsEntry("Retry-After", "1");
        assertThat(jobsCreated).hasValue(0);

        clock.advance(IdempotentRequests.IN_PROGRESS_EXPIRY.minusSeconds(1));
        assertThat(send("acme", "{\"p\":1}", "k-died").status()).isEqualTo(409);
        clock.advance(Duration.ofSeconds(1));
        assertThat(send("acme", "{\"p\":1}", "k-died").status()).as("the dead request no longer blocks its key")
                .isEqualTo(202);
        assertThat(jobsCreated).hasValue(1);
    }

    @Test
    void aRouteThatFailedGivesItsKeyBackAtOnce() {
        BiFunction<ApiRequest, Principal, ApiResponse> fails = (r, p) -> {
            throw new IllegalStateException("table unavailable");
        };
        assertThatThrownBy(() -> idempotency.handle(request("{\"p\":2}", "k-failed"), principal("acme"), fails))
                .isInstanceOf(IllegalStateException.class);
        assertThat(send("acme", "{\"p\":2}", "k-failed").status()).isEqualTo(202);
    }

    @Test
    void aKeyIsRememberedFor24HoursAndThenRunsAsNew() {
        send("acme", "{\"p\":3}", "k-day");
        clock.advance(Duration.ofHours(24).minusSeconds(1));
        assertThat(send("acme", "{\"p\":3}", "k-day").headers()).containsEntry(IdempotentRequests.REPLAYED, "true");
        clock.advance(Duration.ofSeconds(1));
        assertThat(send("acme", "{\"p\":3}", "k-day").headers()).doesNotContainKey(IdempotentRequests.REPLAYED);
        assertThat(jobsCreated).hasValue(2);
    }

    @Test
    void aMalformedKeyIs400NamingTheHeaderAndRunsNothing() {
        for (String bad : new String[] {"", "has space", "x".repeat(256), "caf\u00e9"}) {
            ApiResponse response = send("acme", "{}", bad);
            assertThat(response.status()).as("key '%s'", bad).isEqualTo(400);
            assertThat(Json.read(response.body()).path("error").path("param").asText()).isEqualTo("Idempotency-Key");
        }
        assertThat(jobsCreated).hasValue(0);
    }

    @Test
    void withoutAKeyEveryRequestRuns() {
        send("acme", "{}", null);
        send("acme", "{}", null);
        assertThat(jobsCreated).hasValue(2);
    }
}
