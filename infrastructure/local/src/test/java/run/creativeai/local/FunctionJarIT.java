package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.webhook.WebhookTask;
import run.creativeai.local.services.WebhookReceiver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.template.SamFunction;
import run.creativeai.template.Template;

/**
 * Each deployable jar on its own, as Lambda loads it: in a class loader that sees nothing of the
 * build's classpath, the handler the template names is built with the function's environment and
 * handles a sample event. A class missing from a jar fails here, not in production.
 */
@ExtendWith(LocalCloudExtension.class)
class FunctionJarIT {
    private static LocalCloud cloud;
    private static Template template;

    @BeforeAll
    static void start(LocalCloud localCloud) {
        cloud = localCloud;
        template = Template.load(LocalCloudExtension.projectRoot().resolve("template.yaml"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "IngressFunction,          http/list-models.json",
        "DispatcherFunction,       sqs/free-jobs.json",
        "WebhookFunction,          sqs/webhook-deliveries.json",
        "ProviderCallbackFunction, http/provider-callback.json",
        "ReconcilerFunction,       schedule/reconciler-sweep.json"})
    void theFunctionsJarAloneHandlesASampleEvent(String function, String event) throws Exception {
        SamFunction fn = SamFunction.all(template).stream().filter(f -> f.logicalId().equals(function)).findFirst()
                .orElseThrow();
        Path jar = LocalCloudExtension.projectRoot().resolve(fn.jar());
        assertThat(jar).as("CodeUri of " + function).isRegularFile();
        Map<String, String> environment = cloud.runtime().function(function).environment();

        long start = System.nanoTime();
        JsonNode output;
        try (RecordingLoader loader = new RecordingLoader(jar)) {
            Class<?> handlerClass = loader.loadClass(fn.handler().split("::")[0]);
            Object handler = handlerClass.getConstructor(Map.class).newInstance(environment);
            // The entry Lambda's runtime picks for Class::handleRequest: the stream one, event and result as JSON.
            Method handle = handlerClass.getMethod("handleRequest", InputStream.class, OutputStream.class,
                    loader.loadClass("com.amazonaws.services.lambda.runtime.Context"));
            ByteArrayOutputStream result = new ByteArrayOutputStream();
            try (InputStream in = Files.newInputStream(LocalCloudExtension.projectRoot().resolve("events").resolve(event))) {
                handle.invoke(handler, in, result, null);
            }
            output = new ObjectMapper().readTree(result.toByteArray());
            loader.assertNoJsonMapper(function);
            if (function.equals("ReconcilerFunction")) {
                // The sample sweep is as of a day before any job here was written: nothing is due.
                loader.assertNoQueueClient(function, "a sweep that found nothing due");
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("%s: %d bytes, first event handled %d ms after its class loader was created%n",
                function, Files.size(jar), millis);
        switch (function) {
            case "IngressFunction" -> assertThat(output.path("statusCode").asInt()).isEqualTo(200);
            case "ProviderCallbackFunction" -> assertThat(output.path("statusCode").asInt()).as("unsigned sample")
                    .isEqualTo(401);
            case "ReconcilerFunction" -> assertThat(output.has("looked")).as(output.toString()).isTrue();
            default -> assertThat(output.path("batchItemFailures")).as(output.toString()).isEmpty();
        }
    }

    @Test
    void everyPackageHoldsItsJarAndTheLaunchScriptTheTemplateNamesExecutable() throws Exception {
        Path launch = LocalCloudExtension.projectRoot().resolve("functions/package/launch");
        for (SamFunction fn : SamFunction.all(template)) {
            Path zip = LocalCloudExtension.projectRoot().resolve(fn.codeUri());
            Path jar = LocalCloudExtension.projectRoot().resolve(fn.jar());
            assertThat(fn.environment()).as(fn.logicalId()).containsEntry("AWS_LAMBDA_EXEC_WRAPPER", "/var/task/bin/launch");
            try (java.util.zip.ZipFile pkg = new java.util.zip.ZipFile(zip.toFile())) {
                assertThat(pkg.stream().filter(e -> !e.isDirectory()).map(java.util.zip.ZipEntry::getName))
                        .as("CodeUri of " + fn.logicalId()).containsExactlyInAnyOrder("lib/" + jar.getFileName(), "bin/launch");
                try (InputStream in = pkg.getInputStream(pkg.getEntry("lib/" + jar.getFileName()))) {
                    assertThat(in.readAllBytes()).as(fn.logicalId() + ": the jar the build made").isEqualTo(Files.readAllBytes(jar));
                }
                try (InputStream in = pkg.getInputStream(pkg.getEntry("bin/launch"))) {
                    assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(launch));
                }
            }
            // Lambda unpacks a package with the modes its zip records; a launch script it cannot execute stops every start.
            assertThat(unixModes(zip)).as(fn.logicalId()).containsEntry("bin/launch", 0100755);
        }
    }

    /** Each entry's Unix mode, as a zip made on Unix records it in its central directory (external attributes). */
    private static Map<String, Integer> unixModes(Path zip) throws java.io.IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Files.readAllBytes(zip)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int end = b.limit() - 22;
        while (b.getInt(end) != 0x06054b50) {
            end--;
        }
        Map<String, Integer> modes = new java.util.TreeMap<>();
        int at = b.getInt(end + 16);
        for (int i = 0; i < Short.toUnsignedInt(b.getShort(end + 10)); i++) {
            assertThat(b.getInt(at)).as("a central directory header").isEqualTo(0x02014b50);
            int nameLength = Short.toUnsignedInt(b.getShort(at + 28));
            byte[] name = new byte[nameLength];
            b.get(at + 46, name);
            modes.put(new String(name, StandardCharsets.UTF_8), b.getInt(at + 38) >>> 16);
            at += 46 + nameLength + Short.toUnsignedInt(b.getShort(at + 30)) + Short.toUnsignedInt(b.getShort(at + 32));
        }
        return modes;
    }

    @Test
    void theWebhookJarAloneDeliversASignedEventOverHttp() throws Exception {
        SamFunction fn = SamFunction.all(template).stream().filter(f -> f.logicalId().equals("WebhookFunction"))
                .findFirst().orElseThrow();
        Path jar = LocalCloudExtension.projectRoot().resolve(fn.jar());
        cloud.issueKey("jar-webhook", "pro");
        String path = "/jar-webhook-" + System.nanoTime();
        Job job = new EndedJobs(cloud).succeeded("jar-webhook", URI.create(cloud.apiUrl() + "/_local/webhooks" + path));
        String event = "{\"Records\":[{\"messageId\":\"m-1\",\"receiptHandle\":\"r-1\",\"body\":"
                + new ObjectMapper().writeValueAsString(new WebhookTask(job.id(), 1).toMessage())
                + ",\"eventSource\":\"aws:sqs\",\"attributes\":{\"ApproximateReceiveCount\":\"1\"}}]}";
        try (RecordingLoader loader = new RecordingLoader(jar)) {
            Class<?> handlerClass = loader.loadClass(fn.handler().split("::")[0]);
            Object handler = handlerClass.getConstructor(Map.class)
                    .newInstance(cloud.runtime().function("WebhookFunction").environment());
            ByteArrayOutputStream result = new ByteArrayOutputStream();
            handlerClass.getMethod("handleRequest", InputStream.class, OutputStream.class,
                    loader.loadClass("com.amazonaws.services.lambda.runtime.Context"))
                    .invoke(handler, new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), result, null);
            assertThat(new ObjectMapper().readTree(result.toByteArray()).path("batchItemFailures")).isEmpty();
            loader.assertNoJsonMapper("WebhookFunction");
            loader.assertNoQueueClient("WebhookFunction", "a delivery answered 2xx");
        }
        List<WebhookReceiver.Delivery> deliveries = cloud.services().webhooks().deliveries(path);
        assertThat(deliveries).as("the shaded HTTP client delivered").hasSize(1);
        assertThat(deliveries.get(0).signedBy()).contains("jar-webhook");
    }

    /**
     * The jar's class loader, as Lambda's runtime makes one, noting every class it defines: a function
     * handles its events with JSON trees (run.creativeai.gateway.json.Json), and building Jackson's
     * mapper would add about 150 ms and 450 classes to its cold start (BENCHMARKS.md, section 4).
     */
    private static final class RecordingLoader extends URLClassLoader {
        private final java.util.Set<String> defined = java.util.concurrent.ConcurrentHashMap.newKeySet();

        RecordingLoader(Path jar) throws java.net.MalformedURLException {
            super(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            Class<?> found = super.findClass(name);
            defined.add(name);
            return found;
        }

        void assertNoJsonMapper(String function) {
            assertThat(defined).as(function + " built Jackson's mapper for its first event")
                    .doesNotContain("com.fasterxml.jackson.databind.ObjectMapper");
        }

        /** The SQS client is built at a function's first send: an event that sends nothing builds none (about 80 ms). */
        void assertNoQueueClient(String function, String event) {
            assertThat(defined).as(function + " built an SQS client for " + event)
                    .doesNotContain("software.amazon.awssdk.services.sqs.DefaultSqsClient");
        }
    }
}
