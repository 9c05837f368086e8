package run.creativeai.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.access.Authenticator;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.limits.LimiterBusyException;
import run.creativeai.gateway.plan.PlanCatalog;
import run.creativeai.gateway.status.HealthCounters;
import run.creativeai.gateway.status.HealthSignal;
import run.creativeai.gateway.status.HealthTally;
import run.creativeai.gateway.tenant.ApiKeyHasher;
import run.creativeai.gateway.tenant.ApiKeyRecord;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantStanding;
import run.creativeai.gateway.testing.MutableClock;

/** The router's own decisions, whatever its routes do: who is answered, in what order, with which headers. */
class GatewayApiTest {
    private static final String KEY = "sk_test_router";

    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final ApiKeyHasher hasher = new ApiKeyHasher("a pepper of the router test".getBytes(StandardCharsets.UTF_8));
    private final Authenticator authenticator = new Authenticator(hasher, hash -> hash.equals(hasher.hash(KEY))
            ? Optional.of(new ApiKeyRecord(hash, new KeyId("key_router1"), new TenantId("acme"), "pro",
                    TenantStanding.ACTIVE, false))
            : Optional.empty(), PlanCatalog.defaults());
    private final List<Principal> reached = new ArrayList<>();
    private BiFunction<ApiRequest, Principal, ApiResponse> answer = (request, principal) -> {
        reached.add(principal);
        return new ApiResponse(200, Map.of(), "{}");
    };
    private final List<String> publicCalls = new ArrayList<>();
    private final Tallies tallies = new Tallies();
    private final GatewayApi api = new GatewayApi(authenticator, routes(), new HealthTally(HealthSignal.API_REQUESTS,
            tallies, clock), clock, "eu-west-1");

    /** A route for every key: public ones where the API has them, each answering with {@link #answer}. */
    private List<Route> routes() {
        return GatewayApi.ROUTE_KEYS.stream().map(key -> GatewayApi.PUBLIC_ROUTE_KEYS.contains(key)
                ? publicRoute(key) : route(key)).toList();
    }

    private Route route(String key) {
        return new Route() {
            @Override
            public String key() {
                return key;
            }

            @Override
            public ApiResponse handle(ApiRequest request, Principal principal) {
                return answer.apply(request, principal);
            }
        };
    }

    private PublicRoute publicRoute(String key) {
        return new PublicRoute() {
            @Override
            public String key() {
                return key;
            }

            @Override
            public ApiResponse handle(ApiRequest request) {
                publicCalls.add(key);
                return new ApiResponse(200, Map.of(), "{}");
            }
        };
    }

    /** Per-minute counters in memory: what the status page's 5xx share is read from. */
    private static final class Tallies implements HealthCounters {
        final Map<Instant, Counts> minutes = new TreeMap<>();

        @Override
        public void add(HealthSignal signal, Instant minute, long total, long failed) {
            minutes.merge(minute, new Counts(total, failed), (a, b) -> new Counts(a.total() + b.total(), a.failed() + b.failed()));
        }

        @Override
        public Counts sum(HealthSignal signal, Instant from, Instant to) {
            return new Counts(minutes.values().stream().mapToLong(Counts::total).sum(),
                    minutes.values().stream().mapToLong(Counts::failed).sum());
        }
    }

    private ApiRequest request(String route, Optional<String> key, int bodyBytes) {
        Map<String, String> headers = key.map(k -> Map.of("authorization", "Bearer " + k)).orElse(Map.of());
        return new ApiRequest(route, headers, Map.of(), new byte[bodyBytes], "req-1", clock.instant());
    }

    @Test
    void anAuthenticatedRequestReachesItsRouteAsItsTenantWithTheCommonHeaders() {
        ApiRequest request = request(GatewayApi.GET_QUOTA, Optional.of(KEY), 0);
        clock.advance(Duration.ofMillis(12));
        ApiResponse response = api.handle(request);
        assertThat(response.status()).isEqualTo(200);
        assertThat(reached).extracting(Principal::tenantId).containsExactly(new TenantId("acme"));
        assertThat(response.headers()).containsEntry("X-Request-Id", "req-1")
                .containsEntry("X-Request-Duration", "12ms").containsEntry("X-Region", "eu-west-1");
    }

    @Test
    void aRevokedKeyIsRefusedAtOnceByEveryRouteButTheCreationsWhichMayReuseTheirRecordForTwoSeconds() {
        boolean[] revoked = {false};
        Authenticator reusing = new Authenticator(hasher, hash -> Optional.of(new ApiKeyRecord(hash,
                new KeyId("key_router1"), new TenantId("acme"), "pro", TenantStanding.ACTIVE, revoked[0])),
                PlanCatalog.defaults(), clock, Authenticator.RECENT);
        GatewayApi router = new GatewayApi(reusing, routes(), clock, "eu-west-1");
        assertThat(router.handle(request(GatewayApi.CREATE_IMAGE, Optional.of(KEY), 0)).status()).isEqualTo(200);
        revoked[0] = true;

        clock.advance(Duration.ofSeconds(1));
        assertThat(router.handle(request(GatewayApi.CREATE_VIDEO, Optional.of(KEY), 0)).status())
                .as("a creation within 2 s of the last read").isEqualTo(200);
        clock.advance(Duration.ofSeconds(1));
        assertThat(router.handle(request(GatewayApi.CREATE_BATCH, Optional.of(KEY), 0)).status())
                .as("a creation 2 s after it").isEqualTo(401);
        revoked[0] = false;
        assertThat(router.handle(request(GatewayApi.GET_QUOTA, Optional.of(KEY), 0)).status())
                .as("a read route reads afresh").isEqualTo(200);
        assertThat(router.handle(request(GatewayApi.CREATE_IMAGE, Optional.of(KEY), 0)).status())
                .as("and what it read is what the creations reuse").isEqualTo(200);
        revoked[0] = true;
        for (String read : List.of(GatewayApi.GET_GENERATION, GatewayApi.GET_QUOTA, GatewayApi.LIST_MODELS)) {
            assertThat(router.handle(request(read, Optional.of(KEY), 0)).status()).as(read).isEqualTo(401);
        }
        assertThat(router.handle(request(GatewayApi.CREATE_IMAGE, Optional.of(KEY), 0)).status())
                .as("a creation after a read that saw the revocation").isEqualTo(401);
    }

    @Test
    void anAnonymousCallerLearnsNothingButUnauthorizedEvenForAnOversizeBody() {
        ApiResponse response = api.handle(request(GatewayApi.CREATE_IMAGE, Optional.empty(), 1024 * 1024));
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.headers()).containsEntry("WWW-Authenticate", "Bearer").containsKey("X-Request-Id");
        assertThat(reached).isEmpty();
    }

    @Test
    void anAuthenticatedOversizeBodyIsRefusedBeforeItsRoute() {
        assertThat(api.handle(request(GatewayApi.CREATE_IMAGE, Optional.of(KEY), GatewayApi.MAX_BODY_BYTES)).status())
                .isEqualTo(200);
        assertThat(api.handle(request(GatewayApi.CREATE_IMAGE, Optional.of(KEY), GatewayApi.MAX_BODY_BYTES + 1))
                .status()).isEqualTo(413);
        assertThat(reached).hasSize(1);
    }

    @Test
    void anUnknownRouteIsNotFound() {
        assertThat(api.handle(request("GET /v1/nothing", Optional.of(KEY), 0)).status()).isEqualTo(404);
    }

    @Test
    void aRouteThatFailsUnexpectedlyIsA500NamingTheRequestIdAndNothingInternal() {
        answer = (request, principal) -> {
            throw new IllegalStateException("table jobs-7f3a is missing");
        };
        ApiResponse response = api.handle(request(GatewayApi.GET_QUOTA, Optional.of(KEY), 0));
        assertThat(response.status()).isEqualTo(500);
        assertThat(response.body()).contains("req-1").doesNotContain("jobs-7f3a");
        assertThat(response.headers()).containsEntry("X-Request-Id", "req-1");
    }

    @Test
    void limitsRacedTooHardAreA503WithRetryAfter() {
        answer = (request, principal) -> {
            throw new LimiterBusyException("counter contended");
        };
        ApiResponse response = api.handle(request(GatewayApi.CREATE_IMAGE, Optional.of(KEY), 10));
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.headers()).containsEntry("Retry-After", "1");
    }

    @Test
    void aRouterMissingARouteOrHoldingTwoForOneKeyIsRefusedAtInit() {
        Route quota = new Route() {
            @Override
            public String key() {
                return GatewayApi.GET_QUOTA;
            }

            @Override
            public ApiResponse handle(ApiRequest request, Principal principal) {
                return new ApiResponse(200, Map.of(), "{}");
            }
        };
        assertThatThrownBy(() -> new GatewayApi(authenticator, List.of(quota), clock, "eu-west-1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GatewayApi(authenticator, List.of(quota, quota), clock, "eu-west-1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyTheStatusRoutesAndTheOpenApiDocumentAreAnsweredWithoutAKeyAndEveryOtherRouteTellsAnAnonymousCallerNothingBut401() {
        for (String key : GatewayApi.ROUTE_KEYS) {
            ApiResponse response = api.handle(request(key, Optional.empty(), 0));
            if (GatewayApi.PUBLIC_ROUTE_KEYS.contains(key)) {
                assertThat(response.status()).as(key).isEqualTo(200);
                assertThat(response.headers()).as(key).containsKeys("X-Request-Id", "X-Request-Duration", "X-Region");
            } else {
                assertThat(response.status()).as(key).isEqualTo(401);
                assertThat(response.body()).as(key).contains("invalid_api_key");
            }
        }
        assertThat(publicCalls).containsExactlyInAnyOrder(GatewayApi.GET_STATUS, GatewayApi.STATUS_PAGE,
                GatewayApi.GET_OPENAPI);
        assertThat(reached).as("no keyed route was reached anonymously").isEmpty();
    }

    @Test
    void aPublicRouteStillHasItsBodyBounded() {
        assertThat(api.handle(request(GatewayApi.GET_STATUS, Optional.empty(), GatewayApi.MAX_BODY_BYTES + 1)).status())
                .isEqualTo(413);
        assertThat(publicCalls).isEmpty();
    }

    @Test
    void aRouteCanBePublicOnlyUnderAPublicKeyAndAPublicKeyOnlyWithAPublicRoute() {
        List<Route> quotaMadePublic = new ArrayList<>(routes());
        quotaMadePublic.removeIf(r -> r.key().equals(GatewayApi.GET_QUOTA));
        quotaMadePublic.add(publicRoute(GatewayApi.GET_QUOTA));
        assertThatThrownBy(() -> new GatewayApi(authenticator, quotaMadePublic, clock, "eu-west-1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(GatewayApi.GET_QUOTA);
        List<Route> statusBehindAKey = new ArrayList<>(routes());
        statusBehindAKey.removeIf(r -> r.key().equals(GatewayApi.GET_STATUS));
        statusBehindAKey.add(route(GatewayApi.GET_STATUS));
        assertThatThrownBy(() -> new GatewayApi(authenticator, statusBehindAKey, clock, "eu-west-1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a public route");
    }

    @Test
    void everyAnswerIsCountedForTheStatusPageAndAServerErrorAsAFailure() {
        api.handle(request(GatewayApi.GET_QUOTA, Optional.of(KEY), 0));
        api.handle(request(GatewayApi.GET_QUOTA, Optional.empty(), 0));
        answer = (request, principal) -> {
            throw new IllegalStateException("boom");
        };
        api.handle(request(GatewayApi.GET_QUOTA, Optional.of(KEY), 0));
        assertThat(tallies.minutes).as("kept in the instance until its minute ends").isEmpty();
        clock.advance(Duration.ofMinutes(1));
        api.handle(request(GatewayApi.GET_STATUS, Optional.empty(), 0));
        assertThat(tallies.sum(HealthSignal.API_REQUESTS, Instant.MIN, Instant.MAX))
                .isEqualTo(new HealthCounters.Counts(3, 1));
    }
}
