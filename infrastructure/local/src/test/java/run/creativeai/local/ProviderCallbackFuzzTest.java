package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import run.creativeai.gateway.adapters.lambda.Priming;
import run.creativeai.gateway.dispatch.CallbackUrls;
import run.creativeai.gateway.function.callbacks.ProviderCallbackHandler;

/**
 * Property-based fuzzing of the real callbacks handler as its public function URL invokes it (the
 * local cloud's environment: its providers' callback secrets, its progress queue): any method, any
 * path (the callback's with a segment changed, percent-encoded, cut or extended, or anything at all),
 * Standard Webhooks headers holding anything, any body. Whatever arrives without a provider's
 * signature, the answer is a 404 (no such callback) or a 401 (the signature does not verify) with a
 * JSON error that says so, never a 5xx nor a stack trace; on the callback's own method and path it is
 * what the OpenAPI document describes.
 */
class ProviderCallbackFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STACK_FRAME = Pattern.compile("\\bat [\\w$.]+\\(([\\w$]+\\.java:\\d+|Native Method|Unknown Source)\\)");
    private static final String CALLBACK_PATH = CallbackUrls.ROUTE_KEY.substring("POST ".length());
    /** A path the callback's operation describes: each of its parameters one non-empty segment. */
    private static final Pattern ON_THE_ROUTE = Pattern.compile(CALLBACK_PATH.replaceAll("\\{[^}]+}", "[^/]+"));

    private static ProviderCallbackHandler callbacks;

    @BeforeContainer
    static void start() {
        callbacks = new ProviderCallbackHandler(
                LocalCloudExtension.shared().runtime().function("ProviderCallbackFunction").environment());
    }

    @Property(tries = 400)
    void anyUnsignedRequestToTheUrlIsA404OrA401SayingWhyAndNeverA5xx(@ForAll("anyRequest") APIGatewayV2HTTPEvent event)
            throws IOException {
        APIGatewayV2HTTPResponse response = callbacks.handleRequest(event, null);
        String what = event.getRequestContext().getHttp().getMethod() + " " + event.getRawPath() + " -> "
                + response.getStatusCode() + " " + response.getBody();
        Statistics.label("status").collect(response.getStatusCode());
        // Both refusals are reached often: the generator reaches past the route to the signature check.
        Statistics.label("status").coverage(status -> {
            status.check(401).percentage(p -> p > 5);
            status.check(404).percentage(p -> p > 5);
        });
        assertThat(response.getStatusCode()).as(what).isIn(401, 404);
        assertThat(STACK_FRAME.matcher(response.getBody()).find()).as("a stack trace: " + what).isFalse();
        JsonNode error = JSON.readTree(response.getBody()).path("error");
        assertThat(error.path("type").asText()).as(what).isNotBlank();
        assertThat(error.path("message").asText()).as(what)
                .isIn("no such callback", "the callback signature does not verify");
        if (event.getRequestContext().getHttp().getMethod().equals("POST") && ON_THE_ROUTE.matcher(event.getRawPath()).matches()) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            response.getHeaders().forEach((name, value) -> headers.put(name, List.of(value)));
            assertThat(OpenApiContract.shared().violations("POST", CALLBACK_PATH.replaceAll("\\{[^}]+}", "x"),
                    response.getStatusCode(), headers, response.getBody()))
                    .as("what %s does not describe: %s", OpenApiContract.DOCUMENT, what).isEmpty();
        }
    }

    @Provide
    Arbitrary<APIGatewayV2HTTPEvent> anyRequest() {
        Arbitrary<String> method = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("POST")),
                Tuple.of(2, Arbitraries.of("GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")),
                Tuple.of(1, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8)));
        Arbitrary<String> segment = Arbitraries.oneOf(Arbitraries.of("", "seedream", "sdxl", "flux", "kling", "SDXL",
                "%2F", "..", ".", "%00", "gen_01m83tj2edceznrqfnhgh605dq", Priming.NO_JOB, "0", "1", "10000", "-1", "1e3",
                "callback", "attempts"), Arbitraries.strings().ofMaxLength(30).map(s -> s.replace("/", "%2F")));
        // The callback's path, each of its segments mostly a real one (a provider that calls back, a job id, an
        // attempt) and otherwise anything; sometimes cut short or carried on.
        Arbitrary<String> provider = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of("seedream", "sdxl", "flux", "kling")),
                Tuple.of(1, segment));
        Arbitrary<String> job = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("gen_01m83tj2edceznrqfnhgh605dq", Priming.NO_JOB)), Tuple.of(1, segment));
        Arbitrary<String> attempt = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of("1", "2", "9999")),
                Tuple.of(1, segment));
        Arbitrary<String> tail = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("")),
                Tuple.of(1, Arbitraries.of("/", "/more", "?x=1", "%2F")));
        Arbitrary<String> nearCallback = Combinators.combine(provider, job, attempt, tail).as((p, j, a, t) ->
                "/v1/providers/" + p + "/jobs/" + j + "/attempts/" + a + "/callback" + t);
        Arbitrary<String> rawPath = Arbitraries.frequencyOf(Tuple.of(6, nearCallback),
                Tuple.of(1, Arbitraries.of("/", "", "/v1", "/v1/images/generations", "/v1/providers/sdxl/jobs")),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(80).map(s -> "/" + s)));
        Arbitrary<String> anything = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(120),
                Arbitraries.of("v1,", "v1,AAAA", "v1a,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=", "1795424400", "-1",
                        "99999999999999999999", "msg_1"));
        Arbitrary<Map<String, String>> headers = Combinators.combine(anything, anything, anything,
                Arbitraries.maps(Arbitraries.strings().ofMinLength(1).ofMaxLength(20), Arbitraries.strings().ofMaxLength(60))
                        .ofMaxSize(3))
                .as((id, timestamp, signature, extra) -> {
                    Map<String, String> h = new HashMap<>(extra);
                    h.put("webhook-id", id);
                    h.put("webhook-timestamp", timestamp);
                    h.put("webhook-signature", signature);
                    h.put("content-type", "application/json");
                    return h;
                });
        Arbitrary<String> body = Arbitraries.oneOf(Arbitraries.just("{}"), Arbitraries.strings().ofMaxLength(300),
                Arbitraries.just("{\"id\":\"p1\",\"status\":\"succeeded\",\"output\":[\"https://x/0.png\"]}"));
        return Combinators.combine(method, rawPath, headers, body).as(Priming::functionUrl);
    }
}
