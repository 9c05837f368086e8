package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import run.creativeai.gateway.adapters.lambda.LambdaJson;
import run.creativeai.gateway.api.GatewayApi;
import run.creativeai.gateway.dispatch.CallbackUrls;
import run.creativeai.gateway.function.callbacks.ProviderCallbackHandler;
import run.creativeai.gateway.function.dispatcher.DispatcherHandler;
import run.creativeai.gateway.function.ingress.IngressHandler;
import run.creativeai.gateway.function.reconciler.ReconcilerHandler;
import run.creativeai.gateway.function.webhook.WebhookHandler;
import run.creativeai.template.SamFunction;
import run.creativeai.template.Template;

/**
 * The sample events in events/: each one handed as JSON to the real handler's stream entry, as Lambda
 * does, configured as the local cloud runs it; the handler's answer is read back by the Lambda
 * runtime's own serialiser, and the handler reads each event as that serialiser reads it.
 */
@ExtendWith(LocalCloudExtension.class)
class EventFixturesTest {
    private static final Path EVENTS = LocalCloudExtension.projectRoot().resolve("events");
    /** What each HTTP sample answers against the local cloud (its job ids do not exist there). */
    private static final Map<String, Integer> EXPECTED_STATUS = Map.ofEntries(
            Map.entry("create-image.json", 202),
            Map.entry("create-video.json", 202),
            Map.entry("create-batch.json", 200),
            Map.entry("get-generation.json", 404),
            Map.entry("cancel-generation.json", 404),
            Map.entry("get-quota.json", 200),
            Map.entry("get-usage.json", 200),
            Map.entry("list-models.json", 200),
            // Signed with a secret that is not the provider's, long ago.
            Map.entry("provider-callback.json", 401),
            Map.entry("redeliver-webhook.json", 404),
            Map.entry("create-upload.json", 201),
            // An upload of the demo tenant's that was never made.
            Map.entry("get-upload.json", 404),
            // Public, without a key.
            Map.entry("get-status.json", 200),
            Map.entry("status-page.json", 200),
            Map.entry("get-openapi.json", 200),
            Map.entry("create-status-subscription.json", 201),
            Map.entry("list-status-subscriptions.json", 200),
            // A subscription the demo tenant never had.
            Map.entry("delete-status-subscription.json", 404),
            Map.entry("create-workflow.json", 202),
            // A workflow the demo tenant never made.
            Map.entry("get-workflow.json", 404),
            Map.entry("cancel-workflow.json", 404),
            // Uploads the demo tenant never made: a 400 naming images[0], counted against nothing.
            Map.entry("create-training.json", 400),
            Map.entry("get-training.json", 404),
            Map.entry("cancel-training.json", 404));

    private static LocalCloud cloud;

    @BeforeAll
    static void start(LocalCloud localCloud) {
        cloud = localCloud;
    }

    static Stream<Path> httpEvents() throws IOException {
        return list("http");
    }

    static Stream<Path> sqsEvents() throws IOException {
        return list("sqs");
    }

    private static Stream<Path> list(String folder) throws IOException {
        try (Stream<Path> files = Files.list(EVENTS.resolve(folder))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    private static <T> T read(Path file, Class<T> type) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return LambdaEventSerializers.serializerFor(type, EventFixturesTest.class.getClassLoader()).fromJson(in);
        }
    }

    private static Map<String, String> environmentOf(String function) {
        return cloud.runtime().function(function).environment();
    }

    @Test
    void thereIsASampleForEveryRouteAndEveryQueueConsumer() throws IOException {
        Template template = Template.load(LocalCloudExtension.projectRoot().resolve("template.yaml"));
        // A function URL's sample names its route by its method and path, as its handler matches them.
        List<String> sampledRoutes = httpEvents().map(f -> {
            try {
                APIGatewayV2HTTPEvent event = read(f, APIGatewayV2HTTPEvent.class);
                return event.getRouteKey().equals("$default") ? CallbackUrls.ROUTE_KEY : event.getRouteKey();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }).toList();
        List<String> templateRoutes = new java.util.ArrayList<>(SamFunction.all(template).stream()
                .flatMap(f -> f.routes().stream()).map(SamFunction.HttpRoute::routeKey).toList());
        templateRoutes.add(CallbackUrls.ROUTE_KEY);
        assertThat(sampledRoutes).containsExactlyInAnyOrderElementsOf(templateRoutes);
        assertThat(SamFunction.all(template).stream().filter(f -> f.logicalId().equals("IngressFunction"))
                .flatMap(f -> f.routes().stream()).map(SamFunction.HttpRoute::routeKey).toList())
                .as("the ingress function serves exactly the API's routes")
                .containsExactlyInAnyOrderElementsOf(GatewayApi.ROUTE_KEYS);
        long consumers = SamFunction.all(template).stream().mapToLong(f -> f.queues().size()).sum();
        assertThat(sqsEvents().count()).isEqualTo(consumers);
        assertThat(EXPECTED_STATUS.keySet()).isEqualTo(httpEvents().map(f -> f.getFileName().toString())
                .collect(Collectors.toSet()));
    }

    /** The handler's stream entry, as Lambda calls it; its answer read by the runtime's serialiser as {@code type}. */
    private static <T> T handle(RequestStreamHandler handler, Path event, Class<T> type) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(event)) {
            handler.handleRequest(in, out, null);
        }
        return LambdaEventSerializers.serializerFor(type, EventFixturesTest.class.getClassLoader())
                .fromJson(new ByteArrayInputStream(out.toByteArray()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("httpEvents")
    void eachHttpSampleIsReadAsTheRuntimeReadsIt(Path file) throws IOException {
        APIGatewayV2HTTPEvent expected = read(file, APIGatewayV2HTTPEvent.class);
        APIGatewayV2HTTPEvent event;
        try (InputStream in = Files.newInputStream(file)) {
            event = LambdaJson.httpEvent(in);
        }
        assertThat(event).usingRecursiveComparison()
                .comparingOnlyFields("routeKey", "rawPath", "headers", "pathParameters", "queryStringParameters", "body",
                        "isBase64Encoded", "requestContext.requestId", "requestContext.timeEpoch",
                        "requestContext.http.method", "requestContext.http.path")
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sqsEvents")
    void eachQueueSampleIsReadAsTheRuntimeReadsIt(Path file) throws IOException {
        SQSEvent expected = read(file, SQSEvent.class);
        SQSEvent event;
        try (InputStream in = Files.newInputStream(file)) {
            event = LambdaJson.sqsEvent(in);
        }
        assertThat(event.getRecords()).usingRecursiveFieldByFieldElementComparatorOnFields("messageId", "receiptHandle",
                "body", "attributes", "eventSource", "eventSourceArn", "awsRegion").isEqualTo(expected.getRecords());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("httpEvents")
    void eachHttpSampleIsAnsweredByItsRoutesHandler(Path file) throws IOException {
        APIGatewayV2HTTPEvent event = read(file, APIGatewayV2HTTPEvent.class);
        APIGatewayV2HTTPResponse response;
        // A function URL's event ($default): the callbacks function's, the only function with a URL.
        if (event.getRouteKey().equals("$default")) {
            response = handle(new ProviderCallbackHandler(environmentOf("ProviderCallbackFunction")), file,
                    APIGatewayV2HTTPResponse.class);
        } else {
            response = handle(new IngressHandler(environmentOf("IngressFunction")), file, APIGatewayV2HTTPResponse.class);
            assertThat(response.getHeaders()).containsKeys("X-Request-Id", "X-Request-Duration", "X-Region");
        }
        assertThat(response.getStatusCode()).as(file.getFileName() + ": " + response.getBody())
                .isEqualTo(EXPECTED_STATUS.get(file.getFileName().toString()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sqsEvents")
    void eachQueueSampleIsProcessedWithoutFailingAMessage(Path file) throws IOException {
        SQSEvent event = read(file, SQSEvent.class);
        assertThat(event.getRecords()).isNotEmpty();
        SQSBatchResponse response = handle(file.getFileName().toString().startsWith("webhook")
                ? new WebhookHandler(environmentOf("WebhookFunction"))
                : new DispatcherHandler(environmentOf("DispatcherFunction")), file, SQSBatchResponse.class);
        // The jobs named do not exist here: the messages are dropped as done, not retried.
        assertThat(response.getBatchItemFailures()).isEmpty();
    }

    @Test
    void theScheduleSampleRunsTheReconcilerWhichAnswersWhatItDid() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> event = read(EVENTS.resolve("schedule/reconciler-sweep.json"), Map.class);
        assertThat(event).containsEntry("detail-type", "Scheduled Event");
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = handle(new ReconcilerHandler(environmentOf("ReconcilerFunction")),
                EVENTS.resolve("schedule/reconciler-sweep.json"), Map.class);
        assertThat(answer).containsKeys("looked", "requeued", "resumed", "announced", "settled", "given_up");
    }
}
