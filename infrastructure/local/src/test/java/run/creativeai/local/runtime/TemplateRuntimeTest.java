package run.creativeai.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assumptions;
import run.creativeai.gateway.adapters.sqs.DeadLetterRedrive;
import run.creativeai.local.services.DockerUnavailable;
import run.creativeai.local.services.LocalServices;
import run.creativeai.template.Template;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The local runtime against a small template of its own: what a function receives, and how queues behave. */
class TemplateRuntimeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalServices services;
    private static TemplateRuntime runtime;
    private static Template template;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        template = Template.load(Path.of(TemplateRuntimeTest.class.getResource("/runtime-test-template.yaml").toURI()));
        try {
            services = LocalServices.start(Optional.empty(), Clock.systemUTC());
        } catch (DockerUnavailable e) {
            Assumptions.abort(e.getMessage());
        }
        runtime = new TemplateRuntime(template, services, "runtime-test", 0, Map.of("Greeting", "bonjour"),
                Map.of());
        runtime.start();
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
        if (services != null) {
            services.close();
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI url(String path) {
        return URI.create(runtime.apiUrl() + path);
    }

    @Test
    void anHttpRequestArrivesAsThePayloadFormat2EventApiGatewaySends() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/items/42?b=2&a=1&a=3"))
                .header("X-Custom-Header", "Value")
                .header("Cookie", "c1=v1; c2=v2")
                .GET());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("X-Echo")).contains("yes");
        assertThat(response.headers().allValues("Set-Cookie")).containsExactly("session=abc; Path=/", "theme=dark");
        assertThat(response.headers().firstValue("apigw-requestid")).isPresent();
        JsonNode seen = JSON.readTree(response.body());
        assertThat(seen.path("version").asText()).isEqualTo("2.0");
        assertThat(seen.path("routeKey").asText()).isEqualTo("GET /items/{id}");
        assertThat(seen.path("rawPath").asText()).isEqualTo("/items/42");
        assertThat(seen.path("rawQueryString").asText()).isEqualTo("b=2&a=1&a=3");
        assertThat(seen.path("queryStringParameters").path("a").asText()).isEqualTo("1,3");
        assertThat(seen.path("pathParameters").path("id").asText()).isEqualTo("42");
        assertThat(seen.path("headers").path("x-custom-header").asText()).isEqualTo("Value");
        assertThat(seen.path("headers").has("cookie")).as("cookies travel apart from headers").isFalse();
        assertThat(seen.path("cookies")).extracting(JsonNode::asText).containsExactly("c1=v1", "c2=v2");
        assertThat(seen.path("method").asText()).isEqualTo("GET");
        assertThat(seen.path("sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(seen.path("requestId").asText()).isEqualTo(response.headers().firstValue("apigw-requestid").orElseThrow());
        assertThat(seen.path("timeEpoch").asLong()).isPositive();
        assertThat(seen.path("functionName").asText()).isEqualTo("runtime-test-EchoFunction");
        assertThat(seen.path("remainingTimeInMillis").asInt()).isBetween(1, 5000);
    }

    @Test
    void aRawResponseCarriesTheStandardReasonPhraseAndTheHeaderNamesAsTheFunctionSetThem() throws Exception {
        RawResponse limited = raw("GET /items/7?status=429 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        RawResponse created = raw("GET /items/7 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        RawResponse unknown = raw("GET /nowhere HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertThat(limited.statusLine()).isEqualTo("HTTP/1.1 429 Too Many Requests");
        assertThat(created.statusLine()).isEqualTo("HTTP/1.1 201 Created");
        assertThat(unknown.statusLine()).isEqualTo("HTTP/1.1 404 Not Found");
        assertThat(limited.headerLines()).as("each header name byte for byte as the function wrote it")
                .contains("X-RateLimit-Limit: 10", "Retry-After: 3", "x-lower-case: as set", "X-Echo: yes",
                        "Content-Type: application/json", "Vary: Accept, Prefer");
        assertThat(limited.headerLines()).as("each of the function's cookies in a Set-Cookie header of its own")
                .filteredOn(line -> line.startsWith("Set-Cookie: "))
                .containsExactly("Set-Cookie: session=abc; Path=/", "Set-Cookie: theme=dark");
        assertThat(limited.headerLines()).anyMatch(line -> line.startsWith("apigw-requestid: "));
        assertThat(limited.headerLines()).as("nothing API Gateway would not send")
                .noneMatch(line -> line.regionMatches(true, 0, "Server:", 0, 7));
    }

    @Test
    void aBase64BodyFromTheFunctionReachesTheClientAsItsBytes() throws Exception {
        RawResponse binary = raw("GET /items/7?binary=00ff0d0a7f HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertThat(binary.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(binary.headerLines()).contains("content-type: application/octet-stream", "Content-Length: 5");
        assertThat(binary.body()).containsExactly(0x00, 0xff, 0x0d, 0x0a, 0x7f);
    }

    @Test
    void repeatedRequestHeadersArriveCommaJoinedAndEveryCookieHeaderInCookies() throws Exception {
        RawResponse echoed = raw("GET /items/7 HTTP/1.1\r\nHost: localhost\r\nX-Multi: a\r\nx-multi: b\r\n"
                + "Cookie: c1=v1; c2=v2\r\nCookie: c3=v3\r\nConnection: close\r\n\r\n");

        JsonNode seen = JSON.readTree(echoed.body());
        assertThat(seen.path("headers").path("x-multi").asText()).isEqualTo("a,b");
        assertThat(seen.path("cookies")).extracting(JsonNode::asText).containsExactly("c1=v1", "c2=v2", "c3=v3");
        assertThat(seen.path("headers").has("cookie")).isFalse();
    }

    /** A response as the bytes on the wire show it: what an HTTP client would normalise away. */
    private record RawResponse(String statusLine, List<String> headerLines, byte[] body) {
    }

    private static RawResponse raw(String request) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", runtime.apiUrl().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] bytes = socket.getInputStream().readAllBytes();
            String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            assertThat(end).as("a complete header block in %s", text).isPositive();
            List<String> lines = List.of(text.substring(0, end).split("\r\n"));
            return new RawResponse(lines.get(0), lines.subList(1, lines.size()),
                    java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length));
        }
    }

    @Test
    void theFunctionGetsTheEnvironmentTheTemplateDeclaresResolved() throws Exception {
        JsonNode env = JSON.readTree(send(HttpRequest.newBuilder(url("/items/1")).GET()).body()).path("environment");
        assertThat(env.path("GREETING").asText()).as("parameter override").isEqualTo("bonjour");
        assertThat(env.path("SHARED").asText()).as("Globals").isEqualTo("from-globals");
        assertThat(env.path("QUEUE_URL").asText()).isEqualTo(runtime.resources().queueUrl("WorkQueue"));
        assertThat(env.path("QUEUE_ARN").asText()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:runtime-test-WorkQueue");
        assertThat(env.path("TABLE_NAME").asText()).isEqualTo("runtime-test-Table");
        assertThat(env.path("TABLE_ARN").asText())
                .isEqualTo("arn:aws:dynamodb:us-east-1:000000000000:table/runtime-test-Table/index/*");
        assertThat(env.path("BUCKET_NAME").asText()).as("a generated bucket name, as CloudFormation's without its random suffix")
                .isEqualTo("runtime-test-media");
        assertThat(env.path("BUCKET_ARN").asText()).isEqualTo("arn:aws:s3:::runtime-test-media");
        assertThat(env.path("AWS_LAMBDA_FUNCTION_NAME").asText()).isEqualTo("runtime-test-EchoFunction");
        assertThat(runtime.dynamoDb().describeTimeToLive(b -> b.tableName("runtime-test-Table"))
                .timeToLiveDescription().attributeName()).isEqualTo("expires_at");
    }

    @Test
    void theTemplatesBucketIsCreatedAndProvisioningAgainOnTheSameServicesKeepsItsObjects() {
        S3Client s3 = runtime.s3();
        s3.putObject(b -> b.bucket("runtime-test-media").key("kept.txt"), RequestBody.fromString("still here"));

        // What a restart on saved data does: the same template provisioned against services that already hold it.
        new CloudResources(template, Map.of("Greeting", "bonjour"), "runtime-test", "us-east-1", services.aws().account(),
                runtime.apiUrl(), Map.of()).provision(runtime.dynamoDb(), runtime.sqs(), runtime.secretsManager(), s3);

        assertThat(s3.listBuckets().buckets()).extracting(Bucket::name).contains("runtime-test-media");
        assertThat(s3.getObjectAsBytes(b -> b.bucket("runtime-test-media").key("kept.txt")).asUtf8String())
                .isEqualTo("still here");
    }

    @Test
    void theMostSpecificRouteWinsAndAGreedyRouteTakesTheRestOfThePath() throws Exception {
        JsonNode special = JSON.readTree(send(HttpRequest.newBuilder(url("/items/special")).GET()).body());
        JsonNode greedy = JSON.readTree(send(HttpRequest.newBuilder(url("/files/a/b/c.txt"))
                .DELETE()).body());
        assertThat(special.path("routeKey").asText()).isEqualTo("GET /items/special");
        assertThat(greedy.path("routeKey").asText()).isEqualTo("ANY /files/{proxy+}");
        assertThat(greedy.path("pathParameters").path("proxy").asText()).isEqualTo("a/b/c.txt");
        assertThat(send(HttpRequest.newBuilder(url("/items/1")).DELETE()).statusCode())
                .as("a method the route does not take").isEqualTo(404);
    }

    @Test
    void aBinaryBodyArrivesBase64EncodedAndATextBodyAsItIs() throws Exception {
        byte[] bytes = {0, 1, 2, (byte) 0xff};
        JsonNode binary = JSON.readTree(send(HttpRequest.newBuilder(url("/files/blob"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))).body());
        JsonNode text = JSON.readTree(send(HttpRequest.newBuilder(url("/files/doc"))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}"))).body());
        assertThat(binary.path("isBase64Encoded").asBoolean()).isTrue();
        assertThat(Base64.getDecoder().decode(binary.path("body").asText())).isEqualTo(bytes);
        assertThat(text.path("isBase64Encoded").asBoolean()).isFalse();
        assertThat(text.path("body").asText()).isEqualTo("{\"a\":1}");
    }

    @Test
    void aFunctionUrlInvokesItsFunctionForEveryMethodAndPathAsDefaultAndItsGetAttIsThatUrl() throws Exception {
        URI hook = runtime.functionUrl("HookFunction");
        for (String method : List.of("POST", "GET")) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(hook.resolve("/any/path/42?a=1"))
                    .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString("{\"a\":1}"))
                    .header("Content-Type", "application/json"));
            assertThat(response.statusCode()).as(method).isEqualTo(201);
            JsonNode seen = JSON.readTree(response.body());
            assertThat(seen.path("routeKey").asText()).isEqualTo("$default");
            assertThat(seen.path("rawPath").asText()).isEqualTo("/any/path/42");
            assertThat(seen.path("rawQueryString").asText()).isEqualTo("a=1");
            assertThat(seen.path("method").asText()).isEqualTo(method);
            assertThat(seen.path("pathParameters").isNull()).as("a function URL has no routes to take parameters").isTrue();
            assertThat(seen.path("functionName").asText()).isEqualTo("runtime-test-HookFunction");
        }
        assertThat(send(HttpRequest.newBuilder(url("/any/path/42")).GET()).statusCode())
                .as("the HTTP API does not serve the URL's function").isEqualTo(404);
        JsonNode env = JSON.readTree(send(HttpRequest.newBuilder(url("/items/1")).GET()).body()).path("environment");
        assertThat(env.path("HOOK_URL").asText()).isEqualTo(hook.toString()).endsWith("/");
        HttpResponse<String> failed = send(HttpRequest.newBuilder(hook.resolve("/x")).header("X-Fail", "1").GET());
        assertThat(failed.statusCode()).as("a function URL answers a function's failure 502").isEqualTo(502);
    }

    @Test
    void aFunctionErrorBecomesTheGatewaysOwn500() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/items/1")).header("X-Fail", "1").GET());
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
        assertThat(send(HttpRequest.newBuilder(url("/items/1")).GET()).statusCode())
                .as("the environment stays in service after a handler error").isEqualTo(201);
    }

    @Test
    void queueBatchesHonourBatchSizePartialFailuresVisibilityAndRedrive() {
        var sqs = runtime.sqs();
        String queue = runtime.resources().queueUrl("WorkQueue");
        String deadLetters = runtime.resources().queueUrl("WorkDeadLetters");
        for (int i = 0; i < 8; i++) {
            String body = "ok-" + i;
            sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body));
        }
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody("fail-once-too-often"));

        // Long-polling the dead-letter queue waits for the redrive itself, not for a guessed time.
        List<Message> redriven = List.of();
        for (int i = 0; i < 15 && redriven.isEmpty(); i++) {
            redriven = sqs.receiveMessage(b -> b.queueUrl(deadLetters).waitTimeSeconds(2)).messages();
        }
        assertThat(redriven).extracting(Message::body).containsExactly("fail-once-too-often");
        // Each message may come back once per 2 s visibility timeout while the machine is slow (a
        // function's first invocation loads its classes): a bound for the wait, not a speed claim.
        Awaitility.await("the work queue drains").atMost(Duration.ofSeconds(60)).until(() -> {
            Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queue)
                    .attributeNames(QueueAttributeName.ALL)).attributes();
            return "0".equals(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    && "0".equals(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
        });

        List<BatchHandler.Seen> seen = List.copyOf(BatchHandler.SEEN);
        assertThat(seen).allSatisfy(s -> assertThat(s.batchSize()).isLessThanOrEqualTo(5));
        assertThat(seen).allSatisfy(s -> assertThat(s.eventSourceArn())
                .isEqualTo("arn:aws:sqs:us-east-1:000000000000:runtime-test-WorkQueue"));
        assertThat(seen.stream().filter(s -> s.body().startsWith("ok-")).map(BatchHandler.Seen::body))
                .as("each message that succeeded was delivered once").hasSize(8).doesNotHaveDuplicates();
        assertThat(seen.stream().filter(s -> s.body().startsWith("fail")).map(BatchHandler.Seen::receiveCount))
                .as("the failed message came back after its visibility timeout, then went to the DLQ")
                .containsExactly(1, 2);
    }

    @Test
    void aPoisonMessageWaitsInTheDeadLetterQueueUntilTheRedriveMovesItBackAfterTheFix() throws Exception {
        var sqs = runtime.sqs();
        String queue = runtime.resources().queueUrl("WorkQueue");
        String deadLetters = runtime.resources().queueUrl("WorkDeadLetters");
        String body = "poison-" + System.nanoTime();
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body));
        Awaitility.await("the poison message is received maxReceiveCount times, then dead-lettered")
                .atMost(Duration.ofSeconds(30)).until(() -> seen(body).size() == 2 && waiting(deadLetters) >= 1);
        assertThat(seen(body)).extracting(BatchHandler.Seen::receiveCount).containsExactly(1, 2);

        BatchHandler.CURED.set(true);
        DeadLetterRedrive redrive = new DeadLetterRedrive(sqs, List.of(queue));
        assertThat(redrive.deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.queueName()).isEqualTo("runtime-test-WorkQueue");
            assertThat(d.deadLetterUrl()).isEqualTo(deadLetters);
        });
        List<DeadLetterRedrive.Moved> moved = redrive.redrive(List.of(), Duration.ofSeconds(20));
        assertThat(moved).singleElement().satisfies(m -> {
            assertThat(m.status()).isEqualTo("COMPLETED");
            assertThat(m.moved()).isGreaterThanOrEqualTo(1);
        });
        Awaitility.await("the redriven message is processed").atMost(Duration.ofSeconds(20))
                .until(() -> seen(body).size() == 3);
        assertThat(waiting(deadLetters)).isZero();
    }

    private static List<BatchHandler.Seen> seen(String body) {
        return BatchHandler.SEEN.stream().filter(s -> s.body().equals(body)).toList();
    }

    private static int waiting(String queueUrl) {
        return Integer.parseInt(runtime.sqs().getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    @Test
    void aScheduleEventInvokesTheFunctionWithTheEventEventBridgeSendsOrItsInput() throws Exception {
        JsonNode scheduled = JSON.readTree(runtime.schedule("TickFunction", "Every").fire());
        assertThat(scheduled.path("detail-type").asText()).isEqualTo("Scheduled Event");
        assertThat(scheduled.path("source").asText()).isEqualTo("aws.events");
        assertThat(scheduled.path("resources").get(0).asText())
                .isEqualTo("arn:aws:events:us-east-1:000000000000:rule/TickFunctionEvery");
        assertThat(scheduled.path("function").asText()).isEqualTo("runtime-test-TickFunction");

        JsonNode withInput = JSON.readTree(runtime.schedule("TickFunction", "Nightly").fire());
        assertThat(withInput.path("mode").asText()).as("the event's Input replaces the scheduled event").isEqualTo("nightly");
        assertThat(withInput.has("detail-type")).isFalse();
    }
}
