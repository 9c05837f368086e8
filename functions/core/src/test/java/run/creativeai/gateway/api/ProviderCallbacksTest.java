package run.creativeai.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.api.ApiRequest;
import run.creativeai.gateway.api.ApiResponse;
import run.creativeai.gateway.api.ProviderCallbacks;
import run.creativeai.gateway.dispatch.CallbackUrls;
import run.creativeai.gateway.dispatch.ProgressCheck;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.testing.MutableClock;
import run.creativeai.gateway.webhook.SigningSecret;
import run.creativeai.gateway.webhook.StandardWebhookSignature;

class ProviderCallbacksTest {
    private static final SigningSecret SECRET = new SigningSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    private static final JobId JOB = new JobId("gen_01m83tj2edceznrqfnhgh605dq");
    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final List<ProgressCheck> checks = new ArrayList<>();
    private final ProviderCallbacks callbacks = new ProviderCallbacks(
            provider -> provider.equals("seedream") ? Optional.of(ProviderCallbacks.standardWebhooks(SECRET)) : Optional.empty(),
            (check, delay) -> {
                assertThat(delay).isEqualTo(Duration.ZERO);
                checks.add(check);
            }, clock);

    private ApiRequest callback(String provider, String job, String attempt, Map<String, String> headers) {
        Map<String, String> path = Map.of("provider", provider, "job", job, "attempt", attempt);
        return new ApiRequest(CallbackUrls.ROUTE_KEY, headers, path, body(), "req-1", clock.instant());
    }

    private static byte[] body() {
        return "{\"id\":\"p1\",\"status\":\"succeeded\"}".getBytes(StandardCharsets.UTF_8);
    }

    private Map<String, String> signed(long timestamp) {
        Map<String, String> headers = new HashMap<>();
        headers.put("webhook-id", "msg_1");
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", "v1,bm90LXRoaXMtb25l " + StandardWebhookSignature.sign(SECRET, "msg_1", timestamp, body()));
        return headers;
    }

    @Test
    void aSignedCallbackPromptsAnImmediateCheckOfThatAttempt() {
        ApiResponse response = callbacks.handle(callback("seedream", JOB.value(), "2", signed(clock.instant().getEpochSecond())));
        assertThat(response.status()).isEqualTo(204);
        assertThat(checks).containsExactly(ProgressCheck.announced(JOB, 2));
    }

    @Test
    void aCallbackWithoutTheProvidersSignatureChangesNothing() {
        Map<String, String> forged = signed(clock.instant().getEpochSecond());
        forged.put("webhook-signature", "v1," + java.util.Base64.getEncoder().encodeToString(new byte[32]));
        assertThat(callbacks.handle(callback("seedream", JOB.value(), "1", forged)).status()).isEqualTo(401);
        assertThat(callbacks.handle(callback("seedream", JOB.value(), "1", Map.of())).status()).isEqualTo(401);
        assertThat(checks).isEmpty();
    }

    @Test
    void aReplayedCallbackOutsideTheToleranceIsRefused() {
        long old = clock.instant().minus(Duration.ofMinutes(6)).getEpochSecond();
        assertThat(callbacks.handle(callback("seedream", JOB.value(), "1", signed(old))).status()).isEqualTo(401);
        assertThat(checks).isEmpty();
    }

    @Test
    void callbacksForUnknownProvidersOrMalformedJobsAreNotFound() {
        long now = clock.instant().getEpochSecond();
        assertThat(callbacks.handle(callback("kling", JOB.value(), "1", signed(now))).status()).isEqualTo(404);
        assertThat(callbacks.handle(callback("seedream", "not-a-job", "1", signed(now))).status()).isEqualTo(404);
        assertThat(callbacks.handle(callback("seedream", JOB.value(), "0", signed(now))).status()).isEqualTo(404);
        assertThat(checks).isEmpty();
    }

    @Test
    void aSignedRequestOffTheCallbackRouteIsNotFound() {
        // What the function URL delivers for any other method or path: its own route key, and no parameters.
        ApiRequest elsewhere = new ApiRequest("$default", signed(clock.instant().getEpochSecond()), Map.of(), body(),
                "req-2", clock.instant());
        ApiResponse response = callbacks.handle(elsewhere);
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body()).contains("no such callback");
        assertThat(checks).isEmpty();
    }
}
