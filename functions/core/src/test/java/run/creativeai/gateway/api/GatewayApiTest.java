package run.creativeai.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.access.Authenticator;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.limits.LimiterBusyException;
import run.creativeai.gateway.plan.PlanCatalog;
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
    private final GatewayApi api = new GatewayApi(authenticator, GatewayApi.ROUTE_KEYS.stream()
            .<Route>map(key -> new Route() {
                @Override
                public String key() {
                    return key;
                }

                @Override
                public ApiResponse handle(ApiRequest request, Principal principal) {
                    return answer.apply(request, principal);
                }
            }).toList(), clock, "eu-west-1");

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
}
