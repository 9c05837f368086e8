package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract check bites: the repository's OpenAPI document accepts responses the gateway really
 * gives, and each departure from it (an undocumented status, a missing required field, a missing
 * required header, an undeclared header, an unknown route, a webhook body out of shape) is reported.
 */
class OpenApiContractTest {
    private static final OpenApiContract CONTRACT = OpenApiContract.shared();
    private static final String QUOTA = """
            {"tier":"free","priority":"free","daily_tasks":{"limit":100,"used":1,"remaining":99},
             "concurrent_tasks":{"limit":2,"active":0},"concurrent_video_jobs":{"limit":null,"active":0},
             "concurrent_generation_tasks":{"limit":null,"active":0},"concurrent_workflows":{"limit":5,"active":0},
             "concurrent_trainings":{"limit":2,"active":0},
             "resets_at":"2026-12-06T00:00:00Z","max_cancel_after_seconds":86400,"credits":{"currency":"credits","balance":100000,"reserved":0},
             "rate_limits":[{"rule":"free_reads","unit":"requests","window":"fixed","window_seconds":60,
               "per":"key","limit":120,"used":1,"remaining":119,"reset_at":"2026-12-05T08:31:00Z"}]}""";
    private static final String NOT_FOUND = """
            {"error":{"type":"not_found_error","code":"not_found","message":"no generation with id x","param":null}}""";
    private static final String STARTED = """
            {"event_id":"evt_0123456789abcdef0123456789abcdef","type":"generation.started",
             "timestamp":"2026-12-05T08:30:01Z","data":{"id":"gen_1","object":"generation","kind":"image",
             "status":"running","model":"sdxl","model_actual":"sdxl","input":{"operation":"text-to-image",
             "prompt":"a fox","n":1},"created_at":"2026-12-05T08:30:00Z","started_at":"2026-12-05T08:30:01Z"}}""";

    private static Map<String, List<String>> headers(String... namesAndValues) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        headers.put("X-Request-Id", List.of("req-1"));
        headers.put("X-Request-Duration", List.of("12ms"));
        headers.put("X-Region", List.of("us-east-1"));
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.put(namesAndValues[i], List.of(namesAndValues[i + 1]));
        }
        return headers;
    }

    private static Map<String, List<String>> webhookHeaders() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("content-type", List.of("application/json"));
        headers.put("webhook-id", List.of("evt_0123456789abcdef0123456789abcdef"));
        headers.put("webhook-timestamp", List.of("1796459401"));
        headers.put("webhook-signature", List.of("v1,c2lnbmF0dXJl"));
        headers.put("x-creativeai-signature", List.of("sha256=00ff"));
        headers.put("x-creativeai-event", List.of("generation.started"));
        return headers;
    }

    @Test
    void theDocumentsEveryReferenceResolvesAndEverySchemaCompiles() {
        assertThat(CONTRACT.unresolvedReferences()).isEmpty();
    }

    @Test
    void everyExampleInTheDocumentIsOneItsSchemaAccepts() {
        assertThat(CONTRACT.exampleViolations()).isEmpty();
    }

    @Test
    void aResponseAsTheGatewayGivesItIsDescribed() {
        assertThat(CONTRACT.violations("GET", "/v1/quota", 200, headers("X-RateLimit-Limit", "120",
                "X-RateLimit-Remaining", "119", "X-RateLimit-Reset", "1796459460",
                "RateLimit-Policy", "\"free_reads\";q=120;w=60", "RateLimit", "\"free_reads\";r=119;t=60"), QUOTA))
                .isEmpty();
        assertThat(CONTRACT.violations("GET", "/v1/generations/gen_x", 404, headers(), NOT_FOUND)).isEmpty();
    }

    @Test
    void aStatusTheOperationDoesNotListIsAViolation() {
        assertThat(CONTRACT.violations("GET", "/v1/quota", 418, headers(), NOT_FOUND))
                .singleElement().asString().contains("GET /v1/quota -> 418", "lists no 418");
    }

    @Test
    void aBodyMissingARequiredFieldIsAViolation() {
        String withoutCredits = QUOTA.replaceFirst("\"credits\":\\{[^}]*},", "");
        assertThat(withoutCredits).doesNotContain("\"credits\"");
        assertThat(CONTRACT.violations("GET", "/v1/quota", 200, headers(), withoutCredits))
                .anySatisfy(v -> assertThat(v).contains("credits"));
    }

    @Test
    void aFieldTheSchemaDoesNotHaveIsAViolation() {
        String extra = NOT_FOUND.replace("\"param\":null", "\"param\":null,\"stack\":\"at Foo.java:12\"");
        assertThat(CONTRACT.violations("GET", "/v1/generations/gen_x", 404, headers(), extra))
                .anySatisfy(v -> assertThat(v).contains("stack"));
    }

    @Test
    void aMissingRequiredHeaderIsAViolation() {
        Map<String, List<String>> withoutRequestId = headers();
        withoutRequestId.remove("X-Request-Id");
        assertThat(CONTRACT.violations("GET", "/v1/generations/gen_x", 404, withoutRequestId, NOT_FOUND))
                .singleElement().asString().contains("required header X-Request-Id is missing");
        // A 429 must say when to retry.
        String refused = """
                {"error":{"type":"rate_limit_error","code":"rate_limit_exceeded","message":"Rate limit exceeded","param":null,
                 "rule":"free_rpm"},"detail":"Rate limit exceeded","retry_after":30,"success":false,
                 "rate_limit":{"rule":"free_rpm","window":"fixed","window_seconds":60,"per":"key","unit":"requests",
                 "count":10,"limit":10,"remaining":0,"reset_in_seconds":30,"reset_at":"2026-12-05T08:31:00Z"}}""";
        assertThat(CONTRACT.violations("GET", "/v1/quota", 429, headers("Retry-After", "30"), refused)).isEmpty();
        assertThat(CONTRACT.violations("GET", "/v1/quota", 429, headers(), refused))
                .singleElement().asString().contains("required header Retry-After is missing");
    }

    @Test
    void aHeaderTheResponseDoesNotDeclareIsAViolation() {
        assertThat(CONTRACT.violations("GET", "/v1/generations/gen_x", 404, headers("X-Debug-Trace", "abc"), NOT_FOUND))
                .singleElement().asString().contains("header x-debug-trace is not declared");
    }

    @Test
    void aHeaderValueOutOfItsSchemaIsAViolation() {
        assertThat(CONTRACT.violations("GET", "/v1/generations/gen_x", 404, headers("X-Request-Duration", "fast"),
                NOT_FOUND)).singleElement().asString().contains("X-Request-Duration 'fast'");
    }

    @Test
    void aRouteTheDocumentDoesNotHaveIsAnsweredOnlyByApiGatewaysOwn404() {
        Map<String, List<String>> gateway = Map.of("Content-Type", List.of("application/json"),
                "apigw-requestid", List.of("XiSXjAG03/6rvg="));
        assertThat(CONTRACT.violations("GET", "/v2/images", 404, gateway, "{\"message\":\"Not Found\"}")).isEmpty();
        assertThat(CONTRACT.violations("PUT", "/v1/quota", 404, gateway, "{\"message\":\"Not Found\"}")).isEmpty();
        assertThat(CONTRACT.violations("GET", "/v1/secrets", 200, headers(), "{}"))
                .singleElement().asString().contains("GET /v1/secrets -> 200", "a route it does not have");
        assertThat(CONTRACT.violations("GET", "/v1/secrets", 404, headers(), NOT_FOUND))
                .anySatisfy(v -> assertThat(v).contains("error"));
    }

    @Test
    void theMostLiteralPathDecidesAsTheRouterDoes() {
        String batch = "{\"object\":\"batch\",\"results\":[],\"admitted\":0,\"refused\":0}";
        assertThat(CONTRACT.violations("POST", "/v1/generations/batch", 200, headers(), batch)).isEmpty();
        assertThat(CONTRACT.violations("POST", "/v1/generations/gen_x/webhook", 404, headers(), NOT_FOUND)).isEmpty();
    }

    @Test
    void aWebhookIsHeldToTheWebhooksSection() {
        assertThat(CONTRACT.webhookViolations(webhookHeaders(), STARTED)).isEmpty();
        assertThat(CONTRACT.webhookViolations(webhookHeaders(), STARTED.replace("\"status\":\"running\",", "")))
                .anySatisfy(v -> assertThat(v).contains("status"));
        Map<String, List<String>> unsigned = webhookHeaders();
        unsigned.remove("webhook-signature");
        assertThat(CONTRACT.webhookViolations(unsigned, STARTED))
                .singleElement().asString().contains("required header webhook-signature is missing");
        assertThat(CONTRACT.webhookViolations(webhookHeaders(), STARTED.replace("generation.started", "generation.paused")))
                .isNotEmpty();
    }
}
