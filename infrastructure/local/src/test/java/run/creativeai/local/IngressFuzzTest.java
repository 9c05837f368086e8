package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.BeforeContainer;
import run.creativeai.gateway.api.GatewayApi;
import run.creativeai.gateway.function.ingress.IngressHandler;

/**
 * Property-based fuzzing of the real ingress handler, configured as the local cloud runs it (real
 * DynamoDB, SQS and Secrets Manager behind it): random route keys, path ids, headers, credentials,
 * bodies (JSON of any shape, text, bytes, broken base64, oversize), single-field mutations of valid
 * requests, and hostile input: content after the JSON value, control and bidi characters, unpaired
 * surrogates and bytes that are not UTF-8 in any string, impossible webhook ports. Whatever arrives,
 * the answer is never a 5xx and never a stack trace; an error is a JSON body whose message says what
 * is wrong and, for a field, names it; hostile input is never accepted; a body over 64 KiB is a 413
 * for the holder of a key (and on the public status routes) and a 401 for anyone else. The caller's key is a free key whose per-minute
 * limit is used up, so valid requests are parsed in full and then refused with a 429 instead of
 * starting jobs.
 */
class IngressFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STACK_FRAME = Pattern.compile("\\bat [\\w$.]+\\(([\\w$]+\\.java:\\d+|Native Method|Unknown Source)\\)");
    private static final Map<String, Object> VALID_IMAGE = Map.of("model", "sdxl", "prompt", "a red fox", "n", 2,
            "size", "1024x1024", "metadata", Map.of("order", 7));
    /** A workflow's two steps: a still, and a clip of it. */
    private static final Map<String, Object> WORKFLOW_STILL = Map.of("id", "still", "operation", "text-to-image",
            "model", "seedream", "prompt", "a lighthouse");
    private static final Map<String, Object> WORKFLOW_CLIP = Map.of("id", "clip", "operation", "image-to-video",
            "model", "kling", "prompt", "waves", "duration", 5, "image", "{{still.outputs[0]}}");
    /** Image-to-video from an upload of the fuzzing tenant, made at start: its inputs pass every check. */
    private static Map<String, Object> validVideo;
    /** A LoRA training on four uploads of the fuzzing tenant's: every check passes, then the used-up key refuses it. */
    private static Map<String, Object> validTraining;

    private static IngressHandler ingress;
    private static String key;
    private static String jobId;
    /** A URL the local cloud's webhook receiver answers: one a subscription may take. */
    private static String statusHook;

    @BeforeContainer
    static void start() {
        LocalCloud cloud = LocalCloudExtension.shared();
        ingress = new IngressHandler(cloud.runtime().function("IngressFunction").environment());
        key = cloud.issueKey("fuzzing", "free").value();
        statusHook = cloud.apiUrl() + "/_local/webhooks/fuzzing-status";
        validVideo = Map.of("model", "kling", "prompt", "waves", "duration", 5, "image",
                new Api(cloud).upload(key, "image/png", run.creativeai.gateway.testing.TestImages.png(256, 256)));
        Api api = new Api(cloud);
        List<String> trainingImages = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            trainingImages.add(api.upload(key, "image/png", run.creativeai.gateway.testing.TestImages.png(64 + i, 64)));
        }
        validTraining = Map.of("base_model", "flux", "images", trainingImages, "trigger_word", "sksfox", "steps", 500);
        jobId = new EndedJobs(cloud).succeeded("fuzzing", URI.create(cloud.apiUrl() + "/_local/webhooks/fuzzing"))
                .id().value();
        for (int i = 0; i < 12; i++) {
            handle(event(GatewayApi.CREATE_IMAGE, Map.of(), Map.of("authorization", "Bearer " + key), json(VALID_IMAGE),
                    false));
        }
    }

    @Property(tries = 500)
    void anyRequestGetsAnAnswerThatIsNeverA5xxAndNeverAStackTrace(@ForAll("anyRequest") APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPResponse response = handle(event);
        Statistics.label("status").collect(response.getStatusCode());
        assertWellFormed(event, response);
        if (decodedSize(event) > GatewayApi.MAX_BODY_BYTES && event.getRouteKey() != null
                && GatewayApi.ROUTE_KEYS.contains(event.getRouteKey())) {
            assertThat(response.getStatusCode()).as("an oversize body: " + response.getBody())
                    .isEqualTo(presentsTheKey(event) || GatewayApi.PUBLIC_ROUTE_KEYS.contains(event.getRouteKey())
                            ? 413 : 401);
        }
    }

    @Property(tries = 300)
    void aValidRequestWithOneFieldChangedIsRefusedNamingThatField(@ForAll("mutatedCreation") Mutation mutation) {
        APIGatewayV2HTTPEvent event = event(mutation.route(), Map.of(),
                Map.of("authorization", "Bearer " + key, "content-type", "application/json"), mutation.body(), false);
        APIGatewayV2HTTPResponse response = handle(event);
        Statistics.label("status").collect(response.getStatusCode());
        assertWellFormed(event, response);
        // 404: an upload id that is no upload of the caller's, in image or mask.
        assertThat(response.getStatusCode()).as(mutation + " -> " + response.getBody()).isIn(202, 400, 404, 429);
        if (response.getStatusCode() == 400 || response.getStatusCode() == 404) {
            JsonNode error = body(response).path("error");
            assertThat(error.path("param").asText()).as(mutation + " -> " + response.getBody())
                    .isEqualTo(clip(mutation.field()));
        }
    }

    @Property(tries = 120)
    void aTrainingWithOneFieldChangedIsRefusedNamingThatFieldOrIsAdmitted(@ForAll("mutatedTraining") Mutation mutation) {
        APIGatewayV2HTTPEvent event = event(mutation.route(), Map.of(),
                Map.of("authorization", "Bearer " + key, "content-type", "application/json"), mutation.body(), false);
        APIGatewayV2HTTPResponse response = handle(event);
        Statistics.label("status").collect(response.getStatusCode());
        assertWellFormed(event, response);
        // 202 or 429: the body passed every check, images included (the key's minute may have turned since it was used up).
        assertThat(response.getStatusCode()).as(mutation + " -> " + response.getBody()).isIn(202, 400, 429);
        if (response.getStatusCode() == 400) {
            String param = body(response).path("error").path("param").asText();
            assertThat(param.equals(clip(mutation.field())) || param.startsWith(mutation.field() + "["))
                    .as(mutation + " -> " + response.getBody()).isTrue();
        }
    }

    @Property(tries = 200)
    void aWorkflowWithOneStepFieldChangedIsAnsweredAndAnyRefusalNamesAStepsField(
            @ForAll("mutatedWorkflow") Mutation mutation) {
        APIGatewayV2HTTPEvent event = event(mutation.route(), Map.of(),
                Map.of("authorization", "Bearer " + key, "content-type", "application/json"), mutation.body(), false);
        APIGatewayV2HTTPResponse response = handle(event);
        Statistics.label("status").collect(response.getStatusCode());
        assertWellFormed(event, response);
        assertThat(response.getStatusCode()).as(mutation + " -> " + response.getBody()).isIn(202, 400, 404, 429);
        if (response.getStatusCode() == 400 || response.getStatusCode() == 404) {
            // A change to one step can break another (a renamed step leaves its reference dangling): a step's field, always.
            assertThat(body(response).path("error").path("param").asText()).as(mutation + " -> " + response.getBody())
                    .startsWith("steps[");
        }
    }

    @Property(tries = 150)
    void aWorkflowStepsImageThatIsNoReferenceToAnEarlierStepsOutputIsRefusedNamingIt(
            @ForAll("notAReferenceToTheStill") String image) {
        Map<String, Object> clip = new LinkedHashMap<>(WORKFLOW_CLIP);
        clip.put("image", image);
        String body = json(Map.of("steps", List.of(WORKFLOW_STILL, clip)));
        APIGatewayV2HTTPEvent event = event(GatewayApi.CREATE_WORKFLOW, Map.of(),
                Map.of("authorization", "Bearer " + key), body, false);
        APIGatewayV2HTTPResponse response = handle(event);
        assertWellFormed(event, response);
        assertThat(response.getStatusCode()).as(image + " -> " + response.getBody()).isIn(400, 404);
        assertThat(body(response).path("error").path("param").asText()).as(image + " -> " + response.getBody())
                .isEqualTo("steps[1].image");
    }

    @Property(tries = 200)
    void anUploadIsCreatedOnlyForAnImageTypeAndASizeWithinTheCapAndOtherwiseRefusedNamingTheField(
            @ForAll("uploadRequest") Map<String, Object> request) {
        APIGatewayV2HTTPEvent event = event(GatewayApi.CREATE_UPLOAD, Map.of(),
                Map.of("authorization", "Bearer " + key, "content-type", "application/json"), json(request), false);
        APIGatewayV2HTTPResponse response = handle(event);
        Statistics.label("status").collect(response.getStatusCode());
        assertWellFormed(event, response);
        Object type = request.get("content_type");
        Object size = request.get("size_bytes");
        boolean valid = request.keySet().equals(Set.of("content_type", "size_bytes"))
                && type instanceof String t && List.of("image/png", "image/jpeg", "image/webp")
                        .contains(t.toLowerCase(java.util.Locale.ROOT))
                && size instanceof Number n && !(size instanceof Double) && n.longValue() >= 1
                && n.longValue() <= 20L * 1024 * 1024;
        if (valid) {
            assertThat(response.getStatusCode()).as(request + " -> " + response.getBody()).isIn(201, 429);
        } else {
            assertThat(response.getStatusCode()).as(request + " -> " + response.getBody()).isEqualTo(400);
            assertThat(body(response).path("error").path("param").asText()).as(request + " -> " + response.getBody())
                    .isNotEmpty();
        }
    }

    @Property(tries = 150)
    void aStatusSubscriptionIsTakenOnlyForAJustAUrlBodyAndOtherwiseRefusedNamingTheField(
            @ForAll("subscriptionRequest") Map<String, Object> request) {
        APIGatewayV2HTTPEvent event = event(GatewayApi.CREATE_STATUS_SUBSCRIPTION, Map.of(),
                Map.of("authorization", "Bearer " + key, "content-type", "application/json"), json(request), false);
        APIGatewayV2HTTPResponse response = handle(event);
        Statistics.label("status").collect(response.getStatusCode());
        assertWellFormed(event, response);
        // 409: the tenant's subscriptions are at their limit; 429: its reads are.
        assertThat(response.getStatusCode()).as(request + " -> " + response.getBody()).isIn(200, 201, 400, 409, 429);
        if (!request.keySet().equals(Set.of("url")) || !(request.get("url") instanceof String)) {
            assertThat(response.getStatusCode()).as(request + " -> " + response.getBody()).isIn(400, 429);
        }
        if (response.getStatusCode() == 400) {
            String param = body(response).path("error").path("param").asText();
            assertThat(param).as(request + " -> " + response.getBody()).isNotEmpty();
            if (request.containsKey("url") && request.keySet().size() == 1) {
                assertThat(param).as(request + " -> " + response.getBody()).isEqualTo("url");
            }
        }
    }

    @Provide
    Arbitrary<Map<String, Object>> subscriptionRequest() {
        Arbitrary<Object> url = Arbitraries.oneOf(webhookUrls(), jsonValue(1),
                Arbitraries.just(statusHook));
        Arbitrary<Map<String, Object>> extra = Arbitraries.maps(Arbitraries.strings().ofMinLength(1).ofMaxLength(20),
                jsonValue(1)).ofMaxSize(1);
        return Combinators.combine(Arbitraries.of(true, true, true, false), url, extra).as((withUrl, u, more) -> {
            Map<String, Object> body = new LinkedHashMap<>(more);
            if (withUrl) {
                body.put("url", u);
            }
            return body;
        });
    }

    @Property(tries = 30)
    void everyBodyOverTheLimitIs413ForTheHolderOfAKeyOrOnAPublicRouteAnd401ForAnyoneElse(@ForAll("routeKey") String route,
            @ForAll("oversize") byte[] body, @ForAll("authorization") String authorization) {
        Map<String, String> headers = authorization == null ? Map.of() : Map.of("authorization", authorization);
        APIGatewayV2HTTPEvent event = event(route, Map.of("id", jobId), headers,
                Base64.getEncoder().encodeToString(body), true);
        APIGatewayV2HTTPResponse response = handle(event);
        Statistics.label("status").collect(response.getStatusCode());
        assertWellFormed(event, response);
        if (presentsTheKey(event) || GatewayApi.PUBLIC_ROUTE_KEYS.contains(route)) {
            assertThat(response.getStatusCode()).isEqualTo(413);
            assertThat(body(response).path("error").path("code").asText()).isEqualTo("body_too_large");
        } else {
            assertThat(response.getStatusCode()).as("an anonymous caller learns nothing but 401").isEqualTo(401);
            assertThat(body(response).path("error").path("code").asText()).isEqualTo("invalid_api_key");
        }
    }

    @Property(tries = 300)
    void hostileInputInAValidRequestIsRefusedNamingTheField(@ForAll("hostileCreation") Hostile hostile) {
        APIGatewayV2HTTPEvent event = hostile.event();
        APIGatewayV2HTTPResponse response = handle(event);
        Statistics.label("field").collect(hostile.field());
        assertWellFormed(event, response);
        assertThat(response.getStatusCode()).as(hostile + " -> " + response.getBody()).isEqualTo(400);
        JsonNode error = body(response).path("error");
        assertThat(error.path("param").asText()).as(hostile + " -> " + response.getBody()).isEqualTo(hostile.field());
        assertThat(error.path("message").asText()).contains(hostile.field());
    }

    @Property(tries = 200)
    void theUsageRouteAnswersAnyQueryWithItsUsageOrA400NamingAParameterThatIsWrong(
            @ForAll("usageQuery") Map<String, String> query) {
        APIGatewayV2HTTPEvent event = event(GatewayApi.GET_USAGE, Map.of(), Map.of("authorization", "Bearer " + key),
                null, false);
        event.setQueryStringParameters(query);
        APIGatewayV2HTTPResponse response = handle(event);
        Statistics.label("status").collect(response.getStatusCode());
        assertWellFormed(event, response);
        java.util.Set<String> wrong = usageProblems(query);
        if (wrong.isEmpty()) {
            assertThat(response.getStatusCode()).as(query + " -> " + response.getBody()).isIn(200, 429);
        } else {
            assertThat(response.getStatusCode()).as(query + " -> " + response.getBody()).isEqualTo(400);
            assertThat(body(response).path("error").path("param").asText()).as(query + " -> " + response.getBody())
                    .isIn(wrong);
        }
    }

    /** What is wrong with a usage query, said independently of the route: the names of the parameters at fault. */
    private static java.util.Set<String> usageProblems(Map<String, String> query) {
        java.util.Set<String> wrong = new java.util.HashSet<>();
        query.keySet().stream().filter(name -> !java.util.Set.of("from", "to", "group_by").contains(name))
                .forEach(name -> wrong.add(clip(name)));
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        java.util.Optional<java.time.LocalDate> to = date(query.get("to"));
        java.util.Optional<java.time.LocalDate> from = date(query.get("from"));
        if (query.containsKey("to") && to.isEmpty()) {
            wrong.add("to");
        }
        if (query.containsKey("from") && from.isEmpty()) {
            wrong.add("from");
        }
        if ((!query.containsKey("to") || to.isPresent()) && (!query.containsKey("from") || from.isPresent())) {
            java.time.LocalDate end = to.orElse(today);
            java.time.LocalDate start = from.orElse(end.minusDays(29));
            if (end.isBefore(start) || java.time.temporal.ChronoUnit.DAYS.between(start, end) >= 400) {
                wrong.add("to");
            }
        }
        if (query.containsKey("group_by") && !java.util.Set.of("day", "model", "key").contains(query.get("group_by"))) {
            wrong.add("group_by");
        }
        return wrong;
    }

    private static java.util.Optional<java.time.LocalDate> date(String text) {
        if (text == null || !text.matches("\\d{4}-\\d{2}-\\d{2}")) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(java.time.LocalDate.of(Integer.parseInt(text.substring(0, 4)),
                    Integer.parseInt(text.substring(5, 7)), Integer.parseInt(text.substring(8, 10))));
        } catch (java.time.DateTimeException e) {
            return java.util.Optional.empty();
        }
    }

    @Provide
    Arbitrary<Map<String, String>> usageQuery() {
        Arbitrary<String> date = Arbitraries.oneOf(
                Arbitraries.integers().between(-900, 900).map(d -> java.time.LocalDate.now(java.time.ZoneOffset.UTC)
                        .plusDays(d).toString()),
                Arbitraries.of("2026-02-30", "2026-13-01", "26-11-23", "2026-1-5", "", "2026-11-23,2026-11-24",
                        "+12026-01-01", "2026-11-23T00:00:00Z", "yesterday", "2026-11-23\u0000"),
                Arbitraries.strings().ofMaxLength(20));
        Arbitrary<String> groupBy = Arbitraries.oneOf(Arbitraries.of("day", "model", "key", "DAY", "hour", ""),
                Arbitraries.strings().ofMaxLength(12));
        Arbitrary<String> otherName = Arbitraries.oneOf(Arbitraries.of("since", "until", "page", "From"),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(60));
        return Combinators.combine(date.optional(), date.optional(), groupBy.optional(),
                Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(java.util.Optional.<Tuple.Tuple2<String, String>>empty())),
                        Tuple.of(1, Combinators.combine(otherName, Arbitraries.strings().ofMaxLength(10))
                                .as(Tuple::of).map(java.util.Optional::of))))
                .as((from, to, group, other) -> {
                    Map<String, String> query = new java.util.HashMap<>();
                    from.ifPresent(v -> query.put("from", v));
                    to.ifPresent(v -> query.put("to", v));
                    group.ifPresent(v -> query.put("group_by", v));
                    other.filter(o -> !java.util.Set.of("from", "to", "group_by").contains(o.get1()))
                            .ifPresent(o -> query.put(o.get1(), o.get2()));
                    return query;
                });
    }

    @Property(tries = 150)
    void aValidRequestWithAnythingAfterItsJsonIsRefused(@ForAll("trailingContent") Tuple.Tuple2<String, String> request) {
        APIGatewayV2HTTPEvent event = event(request.get1(), Map.of(),
                Map.of("authorization", "Bearer " + key, "content-type", "application/json"), request.get2(), false);
        APIGatewayV2HTTPResponse response = handle(event);
        assertWellFormed(event, response);
        assertThat(response.getStatusCode()).as(request + " -> " + response.getBody()).isEqualTo(400);
        assertThat(body(response).path("error").path("message").asText())
                .contains("more follows the end of the JSON value");
    }

    @Property(tries = 30)
    void aKeyFollowedByAControlCharacterIsNoKey(@ForAll("keyedRouteKey") String route,
            @ForAll("controlCharacter") char control) {
        APIGatewayV2HTTPEvent event = event(route, Map.of("id", jobId),
                Map.of("authorization", "Bearer " + key + control), json(VALID_IMAGE), false);
        APIGatewayV2HTTPResponse response = handle(event);
        assertWellFormed(event, response);
        assertThat(response.getStatusCode()).as(route + " with U+%04X after the key", (int) control).isEqualTo(401);
    }

    @Example
    void foundByFuzzingABodyFlaggedBase64ThatIsNotIsA400NotAnError() {
        APIGatewayV2HTTPEvent event = event(GatewayApi.CREATE_IMAGE, Map.of(), Map.of("authorization", "Bearer " + key),
                "{\"model\":\"sdxl\"}", true);
        APIGatewayV2HTTPResponse response = handle(event);
        assertWellFormed(event, response);
        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(body(response).path("error").path("code").asText()).isEqualTo("invalid_body");
        assertThat(response.getHeaders()).containsKey("X-Request-Id");
    }

    @Example
    void foundByFuzzingAnUnknownFieldsNameIsClippedInTheAnswer() {
        String name = " ".repeat(90) + "x".repeat(5000);
        APIGatewayV2HTTPEvent event = event(GatewayApi.CREATE_IMAGE, Map.of(), Map.of("authorization", "Bearer " + key),
                "{\"model\":\"sdxl\",\"prompt\":\"x\",\"" + name + "\":1}", false);
        APIGatewayV2HTTPResponse response = handle(event);
        assertWellFormed(event, response);
        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(body(response).path("error").path("param").asText()).hasSize(83).endsWith("...");
    }

    // ---------------------------------------------------------------- checks

    /**
     * The handler's answer, held to the OpenAPI document like every answer the end-to-end tests get
     * over HTTP, for the events API Gateway can send (a route it has, a body in the encoding it says).
     */
    private static APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPResponse response = ingress.handleRequest(event, null);
        if (apiGatewayCouldSend(event)) {
            String[] route = event.getRouteKey().split(" ", 2);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            response.getHeaders().forEach((name, value) -> headers.put(name, List.of(value)));
            List<String> violations = OpenApiContract.shared().violations(route[0],
                    route[1].replaceAll("\\{[^}]+}", "x"), response.getStatusCode(), headers, response.getBody());
            assertThat(violations).as("what %s does not describe", OpenApiContract.DOCUMENT).isEmpty();
        }
        return response;
    }

    private static boolean apiGatewayCouldSend(APIGatewayV2HTTPEvent event) {
        if (event.getRouteKey() == null || !GatewayApi.ROUTE_KEYS.contains(event.getRouteKey())) {
            return false;
        }
        if (!event.getIsBase64Encoded() || event.getBody() == null) {
            return true;
        }
        try {
            Base64.getDecoder().decode(event.getBody());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void assertWellFormed(APIGatewayV2HTTPEvent event, APIGatewayV2HTTPResponse response) {
        String what = event.getRouteKey() + " -> " + response.getStatusCode() + " " + response.getBody();
        int status = response.getStatusCode();
        assertThat(status < 500).as("never a 5xx: " + what).isTrue();
        assertThat(response.getHeaders()).containsKeys("X-Request-Id", "X-Region");
        assertThat(STACK_FRAME.matcher(response.getBody()).find()).as("a stack trace: " + what).isFalse();
        assertThat(response.getBody()).as(what).doesNotContain("Exception");
        if (GatewayApi.STATUS_PAGE.equals(event.getRouteKey()) && status == 200) {
            // The status page is the one answer in HTML.
            assertThat(response.getHeaders().get("Content-Type")).as(what).startsWith("text/html");
            return;
        }
        JsonNode body = body(response);
        if (status >= 400) {
            JsonNode error = body.path("error");
            assertThat(error.path("type").asText()).as(what).isNotBlank();
            assertThat(error.path("message").asText()).as("a message that says what is wrong: " + what).isNotBlank();
            assertThat(error.path("message").asText().length()).as("no hostile payload echoed back: " + what)
                    .isLessThan(600);
            if (error.hasNonNull("param")) {
                assertThat(error.path("message").asText()).as("the message names the field: " + what)
                        .contains(error.path("param").asText());
            }
        }
    }

    private static JsonNode body(APIGatewayV2HTTPResponse response) {
        try {
            JsonNode node = JSON.readTree(response.getBody());
            assertThat(node.isObject()).as("a JSON object: " + response.getBody()).isTrue();
            return node;
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + response.getBody(), e);
        }
    }

    /** Whether the event carries the fuzzing key, as the authenticator accepts it (RFC 9110 white space around it). */
    private static boolean presentsTheKey(APIGatewayV2HTTPEvent event) {
        String authorization = event.getHeaders() == null ? null : event.getHeaders().get("authorization");
        return authorization != null
                && authorization.matches("[ \\t]*(?i:bearer)[ \\t]+" + Pattern.quote(key) + "[ \\t]*");
    }

    private static int decodedSize(APIGatewayV2HTTPEvent event) {
        if (event.getBody() == null) {
            return 0;
        }
        if (event.getIsBase64Encoded()) {
            try {
                return Base64.getDecoder().decode(event.getBody()).length;
            } catch (IllegalArgumentException e) {
                return 0;
            }
        }
        return event.getBody().getBytes(StandardCharsets.UTF_8).length;
    }

    private static String clip(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    // ---------------------------------------------------------------- generators

    record Mutation(String route, String field, String body) {
        @Override
        public String toString() {
            return route + " " + field + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
        }
    }

    /** A valid creation request with one hostile value, as a client sends it, and the field it is in. */
    record Hostile(String route, String field, String body, boolean base64) {
        APIGatewayV2HTTPEvent event() {
            return IngressFuzzTest.event(route, Map.of(), Map.of("authorization", "Bearer " + key,
                    "content-type", "application/json"), body, base64);
        }

        @Override
        public String toString() {
            String shown = base64 ? "base64:" + body : body;
            return route + " " + field + " " + (shown.length() > 300 ? shown.substring(0, 300) + "..." : shown);
        }
    }

    /** Characters no request text may hold: controls but tab, newline and carriage return, and bidi controls. */
    @Provide
    Arbitrary<Character> controlCharacter() {
        return Arbitraries.oneOf(
                Arbitraries.chars().range('\u0000', '\u001f').filter(c -> c != '\t' && c != '\n' && c != '\r'),
                Arbitraries.chars().range('\u007f', '\u009f'),
                Arbitraries.chars().range('\u202a', '\u202e'),
                Arbitraries.chars().range('\u2066', '\u2069'));
    }

    @Provide
    Arbitrary<Hostile> hostileCreation() {
        Arbitrary<String> route = Arbitraries.of(GatewayApi.CREATE_IMAGE, GatewayApi.CREATE_VIDEO);
        Arbitrary<String> surrogate = Arbitraries.oneOf(Arbitraries.chars().range('\ud800', '\udbff'),
                Arbitraries.chars().range('\udc00', '\udfff')).map(String::valueOf);
        Arbitrary<String> bad = Arbitraries.oneOf(controlCharacter().map(String::valueOf), surrogate);
        Arbitrary<String> text = Arbitraries.strings().alpha().numeric().withChars(' ', '\t', '\n').ofMaxLength(30);
        // A hostile character somewhere in otherwise ordinary text.
        Arbitrary<String> hostileText = Combinators.combine(text, bad, text).as((a, b, c) -> a + b + c);
        return route.flatMap(r -> {
            Map<String, Object> valid = r.equals(GatewayApi.CREATE_IMAGE) ? VALID_IMAGE : validVideo;
            Arbitrary<Hostile> inPrompt = hostileText.map(t -> hostile(r, valid, "prompt", t));
            Arbitrary<Hostile> inModel = hostileText.map(t -> hostile(r, valid, "model", t));
            Arbitrary<Hostile> inImage = hostileText.map(t -> hostile(r, valid, "image", t));
            Arbitrary<Hostile> inOperation = hostileText.map(t -> hostile(r, valid, "operation", t));
            Arbitrary<Hostile> inMetadataValue = hostileText.map(t -> hostile(r, valid, "metadata", Map.of("note", t)));
            Arbitrary<Hostile> inMetadataName = hostileText.map(t -> hostile(r, valid, "metadata", Map.of(t, 1)));
            Arbitrary<Hostile> inMetadataDeep = hostileText.map(t -> hostile(r, valid, "metadata",
                    Map.of("a", List.of(1, Map.of("b", t)))));
            Arbitrary<Hostile> badPort = Arbitraries.of("http://127.0.0.1:99999/x", "https://h.example:0/",
                    "http://localhost:65536/h", "http://127.0.0.1:0/h", "http://[::1]:100000/h")
                    .map(u -> hostile(r, valid, "webhook_url", u));
            // The prompt's bytes in Latin-1, or cut inside a character: not UTF-8 at all.
            Arbitrary<Hostile> notUtf8 = Arbitraries.of("caf\u00e9", "na\u00efve", "\u00ff\u00fe").map(p -> {
                Map<String, Object> body = new LinkedHashMap<>(valid);
                body.put("prompt", p);
                byte[] bytes = json(body).getBytes(StandardCharsets.ISO_8859_1);
                return new Hostile(r, "prompt", Base64.getEncoder().encodeToString(bytes), true);
            });
            Arbitrary<Hostile> insideImage = Arbitraries.of("http://10.0.0.1/a.png", "https://169.254.169.254/latest",
                    "http://[fd00::1]/a.png", "https://images.example.com/a.png", "ftp://127.0.0.1/a.png",
                    "http://127.0.0.1:99999/a.png", "file:///etc/passwd", "upl_" + "z".repeat(27))
                    .map(u -> hostile(r, valid, "image", u));
            return Arbitraries.oneOf(inPrompt, inModel, inImage, inOperation, inMetadataValue, inMetadataName,
                    inMetadataDeep, badPort, notUtf8, insideImage);
        });
    }

    private static Hostile hostile(String route, Map<String, Object> valid, String field, Object value) {
        Map<String, Object> body = new LinkedHashMap<>(valid);
        body.put(field, value);
        return new Hostile(route, field, json(body), false);
    }

    /** A valid creation request (route, body) with something after its JSON object. */
    @Provide
    Arbitrary<Tuple.Tuple2<String, String>> trailingContent() {
        Arbitrary<String> after = Arbitraries.oneOf(
                jsonValue(2).map(IngressFuzzTest::json),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(40).filter(t -> !t.isBlank()),
                Arbitraries.of("xyz", "}", "]", ",", "{\"a\":1}", "null", "0", "\"", "//", "\u0000"));
        Arbitrary<String> space = Arbitraries.of("", " ", "\n", "\t", " \r\n ");
        return Combinators.combine(Arbitraries.of(GatewayApi.CREATE_IMAGE, GatewayApi.CREATE_VIDEO), space, after)
                .as((route, ws, tail) -> Tuple.of(route,
                        json(route.equals(GatewayApi.CREATE_IMAGE) ? VALID_IMAGE : validVideo) + ws + tail));
    }

    /** Upload requests: mostly the two fields, with types and sizes valid, odd or hostile, now and then more fields. */
    @Provide
    Arbitrary<Map<String, Object>> uploadRequest() {
        Arbitrary<Object> type = Arbitraries.oneOf(
                Arbitraries.of("image/png", "image/jpeg", "image/webp", "image/gif", "text/plain", "IMAGE/PNG", "",
                        "image/png\u0000", "image/svg+xml").map(t -> (Object) t),
                jsonValue(1));
        Arbitrary<Object> size = Arbitraries.oneOf(
                Arbitraries.longs().between(-5, 25L * 1024 * 1024).map(n -> (Object) n),
                Arbitraries.of(0, 1, 20 * 1024 * 1024, 20 * 1024 * 1024 + 1, Long.MAX_VALUE, 1.5, "100")
                        .map(n -> (Object) n),
                jsonValue(1));
        Arbitrary<Map<String, Object>> extra = Arbitraries.maps(Arbitraries.strings().ofMinLength(1).ofMaxLength(20),
                jsonValue(1)).ofMaxSize(2);
        return Combinators.combine(type, size, extra, Arbitraries.integers().between(0, 9)).as((t, n, more, shape) -> {
            Map<String, Object> request = new LinkedHashMap<>();
            if (shape != 1) {
                request.put("content_type", t);
            }
            if (shape != 2) {
                request.put("size_bytes", n);
            }
            if (shape == 3) {
                request.putAll(more);
            }
            return request;
        });
    }

    @Provide
    Arbitrary<String> routeKey() {
        return Arbitraries.of(new ArrayList<>(GatewayApi.ROUTE_KEYS));
    }

    /** The routes that ask for a key: every one but the public status routes. */
    @Provide
    Arbitrary<String> keyedRouteKey() {
        return Arbitraries.of(GatewayApi.ROUTE_KEYS.stream().filter(r -> !GatewayApi.PUBLIC_ROUTE_KEYS.contains(r)).toList());
    }

    @Provide
    Arbitrary<byte[]> oversize() {
        return Arbitraries.integers().between(GatewayApi.MAX_BODY_BYTES + 1, 4 * GatewayApi.MAX_BODY_BYTES)
                .map(size -> {
                    byte[] b = new byte[size];
                    java.util.Arrays.fill(b, (byte) '{');
                    return b;
                });
    }

    @Provide
    Arbitrary<String> authorization() {
        return Arbitraries.oneOf(Arbitraries.just("Bearer " + key), Arbitraries.just(null),
                Arbitraries.strings().ofMaxLength(300), Arbitraries.strings().ofMaxLength(300).map(s -> "Bearer " + s),
                Arbitraries.strings().alpha().ofLength(2000).map(s -> "Bearer " + s),
                controlCharacter().map(c -> "Bearer " + key + c));
    }

    @Provide
    Arbitrary<APIGatewayV2HTTPEvent> anyRequest() {
        Arbitrary<String> route = Arbitraries.frequencyOf(
                Tuple.of(8, routeKey()),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(60)),
                Tuple.of(1, Arbitraries.just(null)));
        Arbitrary<Map<String, String>> path = Arbitraries.oneOf(
                Arbitraries.just(null),
                Arbitraries.just(Map.of()),
                ids().map(id -> Map.of("id", id)));
        Arbitrary<String> mostlyValidKey = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("Bearer " + key)),
                Tuple.of(2, authorization()), Tuple.of(1, Arbitraries.just("bearer   " + key + "  ")));
        Arbitrary<Map<String, String>> headers = Combinators.combine(mostlyValidKey,
                Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.of("application/json", "text/plain",
                        "application/octet-stream", "application/json; charset=utf-16"), Arbitraries.strings().ofMaxLength(40)),
                Arbitraries.maps(Arbitraries.strings().ofMinLength(1).ofMaxLength(30), Arbitraries.strings().ofMaxLength(200))
                        .ofMaxSize(4))
                .as((auth, type, extra) -> {
                    Map<String, String> h = new HashMap<>(extra);
                    if (auth != null) {
                        h.put("authorization", auth);
                    }
                    if (type != null) {
                        h.put("content-type", type);
                    }
                    return h;
                });
        Arbitrary<Tuple.Tuple2<String, Boolean>> body = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(Tuple.of(null, false))),
                Tuple.of(5, jsonValue(4).map(v -> Tuple.of(json(v), false))),
                Tuple.of(5, mutatedCreation().map(m -> Tuple.of(m.body(), false))),
                Tuple.of(2, mutatedWorkflow().map(m -> Tuple.of(m.body(), false))),
                Tuple.of(2, Arbitraries.strings().ofMaxLength(500).map(s -> Tuple.of(s, false))),
                Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMaxSize(500)
                        .map(b -> Tuple.of(Base64.getEncoder().encodeToString(b), true))),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(100).map(s -> Tuple.of(s, true))),
                Tuple.of(1, Arbitraries.integers().between(GatewayApi.MAX_BODY_BYTES - 64, GatewayApi.MAX_BODY_BYTES + 64)
                        .map(n -> Tuple.of("\"" + "x".repeat(Math.max(0, n - 2)) + "\"", false))));
        return Combinators.combine(route, path, headers, body)
                .as((r, p, h, b) -> event(r, p, h, b.get1(), b.get2()));
    }

    private static Arbitrary<String> ids() {
        return Arbitraries.oneOf(
                Arbitraries.just(jobId),
                Arbitraries.strings().withCharRange('0', 'z').ofLength(26).map(s -> "wf_" + s),
                Arbitraries.strings().withCharRange('0', 'z').ofLength(26).map(s -> "gen_" + s),
                Arbitraries.strings().ofMaxLength(300),
                Arbitraries.just("gen_" + "0".repeat(26)),
                Arbitraries.just("../../etc/passwd"),
                Arbitraries.just("%00%2e%2e"));
    }

    /** The two-step workflow with one field of one step given another value (or a field added). */
    @Provide
    Arbitrary<Mutation> mutatedWorkflow() {
        return Arbitraries.of(0, 1).flatMap(index -> {
            Map<String, Object> valid = index == 0 ? WORKFLOW_STILL : WORKFLOW_CLIP;
            Arbitrary<String> field = Arbitraries.frequencyOf(
                    Tuple.of(6, Arbitraries.of(new ArrayList<>(valid.keySet()))),
                    Tuple.of(2, Arbitraries.of("webhook_url", "duration", "n", "size", "image_url", "metadata", "mask")),
                    Tuple.of(1, Arbitraries.strings().ofMinLength(1).ofMaxLength(60)));
            Arbitrary<Object> value = Arbitraries.oneOf(jsonValue(2), Arbitraries.of("still", "clip", "", " ",
                    "{{still.outputs[0]}}", "{{clip.outputs[0]}}", "{{still.outputs[1]}}", "{{nope.outputs[0]}}",
                    "{{still}}", "text-to-image", "image-to-video", "upscale", 0, -1, 5, 10, 1.5));
            return Combinators.combine(field, value).as((f, v) -> {
                Map<String, Object> step = new LinkedHashMap<>(valid);
                step.put(f, v);
                List<Object> steps = index == 0 ? List.of(step, WORKFLOW_CLIP) : List.of(WORKFLOW_STILL, step);
                return new Mutation(GatewayApi.CREATE_WORKFLOW, "steps[" + index + "]." + f,
                        json(Map.of("steps", steps)));
            });
        });
    }

    /** Values of an image field that are no reference to the still's one output: broken, elsewhere, or none at all. */
    @Provide
    Arbitrary<String> notAReferenceToTheStill() {
        Arbitrary<String> piece = Arbitraries.of("{{", "}}", "{", "}", "still", "clip", "other", ".outputs[", "outputs",
                "[", "]", "0", "1", "99", "x", " ", ".", "\n");
        return Arbitraries.oneOf(piece.list().ofMinSize(1).ofMaxSize(8).map(p -> String.join("", p)),
                Arbitraries.strings().ofMaxLength(40))
                .filter(s -> run.creativeai.gateway.media.MediaSource.StepOutput.parse(s)
                        .filter(r -> r.step().equals("still") && r.index() == 0).isEmpty());
    }

    @Provide
    Arbitrary<Mutation> mutatedCreation() {
        Arbitrary<String> route = Arbitraries.of(GatewayApi.CREATE_IMAGE, GatewayApi.CREATE_VIDEO);
        return route.flatMap(r -> {
            Map<String, Object> valid = r.equals(GatewayApi.CREATE_IMAGE) ? VALID_IMAGE : validVideo;
            Arbitrary<String> field = Arbitraries.frequencyOf(
                    Tuple.of(6, Arbitraries.of(new ArrayList<>(valid.keySet()))),
                    Tuple.of(2, Arbitraries.of("webhook_url", "duration", "n", "size", "image_url", "metadata",
                            "operation", "image", "mask")),
                    Tuple.of(1, Arbitraries.strings().ofMinLength(1).ofMaxLength(120)));
            Arbitrary<Object> value = Arbitraries.oneOf(jsonValue(2), webhookUrls(), Arbitraries.of(
                    "auto", "seedream", "kling", "sdxl", "", " ", "512x512", "99x99", 0, -1, 1, 4, 5, 10, 11, 1.5,
                    Long.MAX_VALUE, "https://images.example.com/x.png", "http://images.example.com/x.png",
                    "http://10.0.0.1/x.png", "upl_" + "0".repeat(26), "upl_x", "text-to-image"));
            return Combinators.combine(field, value).as((f, v) -> {
                Map<String, Object> body = new LinkedHashMap<>(valid);
                body.put(f, v);
                return new Mutation(r, f, json(body));
            });
        });
    }

    /** A valid training with one field changed: its own fields, a known other, or any name, to any value. */
    @Provide
    Arbitrary<Mutation> mutatedTraining() {
        Arbitrary<String> field = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(new ArrayList<>(validTraining.keySet()))),
                Tuple.of(2, Arbitraries.of("webhook_url", "webhook_events_filter", "metadata", "prompt", "model")),
                Tuple.of(1, Arbitraries.strings().ofMinLength(1).ofMaxLength(120)));
        @SuppressWarnings("unchecked")
        List<Object> images = (List<Object>) validTraining.get("images");
        Arbitrary<Object> value = Arbitraries.oneOf(jsonValue(2), webhookUrls(), Arbitraries.of(
                "flux", "FLUX", "sdxl", "kling", "flux-lora-fal", "", " ", "tok en", "a".repeat(41), "-tok", 0, -1, 3,
                99, 100, 4000, 4001, 1.5, Long.MAX_VALUE, List.of(), images.subList(0, 3),
                List.of(images.get(0), images.get(0), images.get(1), images.get(2)),
                List.of("upl_" + "0".repeat(26), images.get(1), images.get(2), images.get(3)),
                java.util.Collections.nCopies(21, images.get(0)), List.of(1, 2, 3, 4)));
        return Combinators.combine(field, value).as((f, v) -> {
            Map<String, Object> body = new LinkedHashMap<>(validTraining);
            body.put(f, v);
            return new Mutation(GatewayApi.CREATE_TRAINING, f, json(body));
        });
    }

    private static Arbitrary<Object> webhookUrls() {
        return Arbitraries.of("https://127.0.0.1/h", "http://localhost/h", "https://169.254.169.254/latest/meta-data",
                "https://[::1]/h", "https://[fd00::1]/h", "https://10.0.0.1/h", "https://2130706433/h",
                "https://0x7f000001/h", "https://1.2.3.4.5/h", "https://user:pw@example.com/h", "ftp://example.com/h",
                "https://exa mple.com/h", "//example.com/h", "https://", "javascript:alert(1)", "https://example.com/h",
                "https://" + "a".repeat(3000) + ".com/", "http://127.0.0.1:99999/x", "https://h.example:0/",
                "http://localhost:65536/h");
    }

    @SuppressWarnings("unchecked")
    private static Arbitrary<Object> jsonValue(int depth) {
        Arbitrary<Object> leaf = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(60).map(s -> (Object) s),
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.just(null),
                Arbitraries.of("1e999999", "-0", "123456789012345678901234567890", "0.000000000000000000001")
                        .map(n -> (Object) new java.math.BigDecimal(n)));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Object> list = jsonValue(depth - 1).list().ofMaxSize(4).map(l -> (Object) l);
        Arbitrary<Object> map = Arbitraries.maps(Arbitraries.strings().ofMaxLength(20), jsonValue(depth - 1)).ofMaxSize(4)
                .map(m -> (Object) m);
        return Arbitraries.frequencyOf(Tuple.of(4, leaf), Tuple.of(1, list), Tuple.of(2, map));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static APIGatewayV2HTTPEvent event(String routeKey, Map<String, String> pathParameters, Map<String, String> headers,
            String body, boolean base64) {
        APIGatewayV2HTTPEvent.RequestContext context = new APIGatewayV2HTTPEvent.RequestContext();
        context.setRequestId("fuzz-" + System.nanoTime());
        context.setTimeEpoch(System.currentTimeMillis());
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setVersion("2.0");
        event.setRouteKey(routeKey);
        event.setPathParameters(pathParameters);
        event.setHeaders(headers);
        event.setBody(body);
        event.setIsBase64Encoded(base64);
        event.setRequestContext(context);
        return event;
    }

}
