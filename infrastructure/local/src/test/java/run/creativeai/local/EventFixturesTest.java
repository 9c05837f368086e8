package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
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
 * The sample events in events/: each one read into its aws-lambda-java-events type by the Lambda
 * runtime's own serialiser and handed to the real handler, configured as the local cloud runs it.
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
            Map.entry("create-status-subscription.json", 201),
            Map.entry("list-status-subscriptions.json", 200),
            // A subscription the demo tenant never had.
            Map.entry("delete-status-subscription.json", 404));

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
        List<String> sampledRoutes = httpEvents().map(f -> {
            try {
                return read(f, APIGatewayV2HTTPEvent.class).getRouteKey();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }).toList();
        List<String> templateRoutes = SamFunction.all(template).stream().flatMap(f -> f.routes().stream())
                .map(SamFunction.HttpRoute::routeKey).toList();
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("httpEvents")
    void eachHttpSampleIsAnsweredByItsRoutesHandler(Path file) throws IOException {
        APIGatewayV2HTTPEvent event = read(file, APIGatewayV2HTTPEvent.class);
        APIGatewayV2HTTPResponse response;
        if (event.getRouteKey().equals(CallbackUrls.ROUTE_KEY)) {
            response = new ProviderCallbackHandler(environmentOf("ProviderCallbackFunction")).handleRequest(event, null);
        } else {
            response = new IngressHandler(environmentOf("IngressFunction")).handleRequest(event, null);
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
        SQSBatchResponse response = file.getFileName().toString().startsWith("webhook")
                ? new WebhookHandler(environmentOf("WebhookFunction")).handleRequest(event, null)
                : new DispatcherHandler(environmentOf("DispatcherFunction")).handleRequest(event, null);
        // The jobs named do not exist here: the messages are dropped as done, not retried.
        assertThat(response.getBatchItemFailures()).isEmpty();
    }

    @Test
    void theScheduleSampleRunsTheReconcilerWhichAnswersWhatItDid() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> event = read(EVENTS.resolve("schedule/reconciler-sweep.json"), Map.class);
        assertThat(event).containsEntry("detail-type", "Scheduled Event");
        Map<String, Object> answer = new ReconcilerHandler(environmentOf("ReconcilerFunction")).handleRequest(event, null);
        assertThat(answer).containsKeys("looked", "requeued", "resumed", "announced", "settled", "given_up");
    }
}
