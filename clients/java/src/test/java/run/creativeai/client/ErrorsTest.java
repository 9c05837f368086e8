package run.creativeai.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every error answer becomes the exception of its family, carrying what the API said. */
class ErrorsTest {
    private final ScriptedApi api = new ScriptedApi();
    private final FakeTime time = new FakeTime();
    private final CreativeAiClient client = CreativeAiClient.builder().baseUrl(api.url()).apiKey("sk-test")
            .clock(time).sleeper(time).retryPolicy(RetryPolicy.NONE).build();

    @AfterEach
    void stop() {
        api.close();
    }

    @ParameterizedTest
    @CsvSource({
        "400, invalid_request_error, InvalidRequestException",
        "401, authentication_error, AuthenticationException",
        "402, billing_error, BillingException",
        "404, not_found_error, NotFoundException",
        "429, rate_limit_error, RateLimitException",
        "403, quota_error, QuotaExceededException",
        "503, service_unavailable_error, ServiceUnavailableException",
        "500, api_error, ServerException",
    })
    void eachErrorFamilyHasItsOwnException(int status, String type, String exception) {
        api.then(status, ScriptedApi.error(type, "some_code", "what happened", "field"), "X-Request-Id", "req-1");
        assertThatThrownBy(() -> client.get("gen_1")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.getClass().getSimpleName()).isEqualTo(exception);
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.type()).isEqualTo(type);
            assertThat(e.code()).isEqualTo("some_code");
            assertThat(e.errorMessage()).isEqualTo("what happened");
            assertThat(e.param()).contains("field");
            assertThat(e.requestId()).contains("req-1");
        });
    }

    @Test
    void aBadFieldNamesTheFieldInTheApisOwnWords() {
        api.then(400, ScriptedApi.error("invalid_request_error", "invalid_field", "duration is required", "duration"));
        assertThatThrownBy(() -> client.create(VideoRequest.builder("kling").prompt("waves").build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.param()).contains("duration");
                    assertThat(e.getMessage()).isEqualTo("400 invalid_field: duration is required (duration)");
                });
    }

    @Test
    void aTenantOutOfCreditsHearsItsBalanceAndWhatTheJobNeeds() {
        api.then(402, "{\"error\":{\"type\":\"billing_error\",\"code\":\"insufficient_credits\",\"message\":\"no\","
                + "\"param\":null},\"balance\":0,\"required\":4}");
        assertThatThrownBy(() -> client.create(ImageRequest.of("sdxl", "a fox")))
                .isInstanceOfSatisfying(BillingException.class, e -> {
                    assertThat(e.balance()).hasValue(0);
                    assertThat(e.required()).hasValue(4);
                    assertThat(e.param()).isEmpty();
                });
    }

    @Test
    void aProxysOwnErrorWithoutTheApisBodyIsJudgedByItsStatus() {
        api.then(502, "<html>Bad Gateway</html>", "Content-Type", "text/html")
                .then(404, "{\"message\":\"Not Found\"}");
        assertThatThrownBy(() -> client.quota()).isInstanceOfSatisfying(ServerException.class, e -> {
            assertThat(e.code()).isEqualTo("http_502");
            assertThat(e.type()).isEmpty();
        });
        assertThatThrownBy(() -> client.quota()).isInstanceOfSatisfying(NotFoundException.class,
                e -> assertThat(e.errorMessage()).isEqualTo("Not Found"));
    }

    @Test
    void aBatchAnswersEachTaskAdmittedOrRefusedAsAValue() {
        api.then(200, "{\"object\":\"batch\",\"results\":[{\"index\":0,\"status\":202,\"job\":" + ScriptedApi.job("gen_1", "queued")
                + "},{\"index\":1,\"status\":429,\"error\":{\"type\":\"rate_limit_error\",\"code\":\"rate_limit_exceeded\","
                + "\"message\":\"tasks[1]: slow down\",\"param\":\"tasks[1]\",\"rule\":\"video_requests_per_minute\"},"
                + "\"retry_after\":12}],\"admitted\":1,\"refused\":1}");

        BatchResult batch = client.createBatch(List.of(ImageRequest.of("sdxl", "one"), VideoRequest.of("kling", "two", 5)));

        assertThat(new String(api.received().get(0).body())).isEqualTo("{\"tasks\":[{\"kind\":\"image\",\"model\":\"sdxl\","
                + "\"prompt\":\"one\"},{\"kind\":\"video\",\"model\":\"kling\",\"prompt\":\"two\",\"duration\":5}]}");
        assertThat(api.received().get(0).header("Idempotency-Key")).isNotBlank();
        assertThat(batch.admitted()).isEqualTo(1);
        assertThat(batch.results().get(0).jobOrThrow().id()).isEqualTo("gen_1");
        BatchResult.Task refused = batch.results().get(1);
        assertThat(refused.admitted()).isFalse();
        assertThatThrownBy(refused::jobOrThrow).isInstanceOfSatisfying(RateLimitException.class, e -> {
            assertThat(e.rule()).contains("video_requests_per_minute");
            assertThat(e.retryAfter()).hasValueSatisfying(d -> assertThat(d.toSeconds()).isEqualTo(12));
            assertThat(e.param()).contains("tasks[1]");
        });
    }
}
