package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import run.creativeai.client.BatchResult;
import run.creativeai.client.CreativeAiClient;
import run.creativeai.client.Generation;
import run.creativeai.client.GenerationStatus;
import run.creativeai.client.ImageRequest;
import run.creativeai.client.InvalidRequestException;
import run.creativeai.client.Model;
import run.creativeai.client.Output;
import run.creativeai.client.RequestOptions;
import run.creativeai.client.Sleeper;
import run.creativeai.client.TrainingRequest;
import run.creativeai.client.Upload;
import run.creativeai.client.VideoRequest;
import run.creativeai.client.Workflow;
import run.creativeai.client.WorkflowRequest;
import run.creativeai.client.WorkflowStatus;
import run.creativeai.client.webhooks.WebhookEvent;
import run.creativeai.client.webhooks.WebhookVerificationException;
import run.creativeai.client.webhooks.WebhookVerifier;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.testing.TestImages;
import run.creativeai.local.services.WebhookReceiver;

/**
 * The local cloud driven through the Java client (clients/java), as a customer's code drives the API:
 * create, wait and download; an upload as an input; a cancel; a workflow; a training; a batch; a rate limit waited out; a create
 * whose answer was lost, sent again under its key; a delivered webhook verified with the client's
 * verifier; and the README's example, run as written. Every answer the client receives from the API is
 * held to the OpenAPI document as it arrives (but for the lost-answer test's, which pass through a proxy).
 */
@ExtendWith(LocalCloudExtension.class)
class JavaClientEndToEndTest {
    private static final Duration JOB = Duration.ofMinutes(2);
    private static LocalCloud cloud;

    @BeforeAll
    static void start(LocalCloud localCloud) {
        cloud = localCloud;
    }

    /** A client of the local API whose every answer is held to the OpenAPI document as it arrives. */
    private static CreativeAiClient client(String key) {
        return checked().apiKey(key).build();
    }

    private static CreativeAiClient.Builder checked() {
        return CreativeAiClient.builder().baseUrl(cloud.apiUrl()).httpClient(new ContractCheckedHttpClient(cloud.apiUrl()));
    }

    private static String tenant(String name, String plan) {
        return cloud.issueKey(name, plan).value();
    }

    @Test
    void anImageIsCreatedWaitedForAndItsOutputsDownloadedIntact() {
        CreativeAiClient client = client(tenant("client-image", "pro"));

        Generation job = client.createAndWait(ImageRequest.builder("sdxl").prompt("a lighthouse at dawn").n(2)
                .metadata(java.util.Map.of("order", "42")).build(), JOB);

        assertThat(job.status()).as(job.json().toString()).isEqualTo(GenerationStatus.SUCCEEDED);
        assertThat(job.outputs()).hasSize(2);
        assertThat(job.cost().charged()).isPresent();
        assertThat(job.json().path("metadata").path("order").asText()).isEqualTo("42");
        for (Output output : job.outputs()) {
            byte[] bytes = client.download(output);
            assertThat(bytes).as("the stored bytes, checked against their SHA-256 by the client").hasSize(
                    (int) output.sizeBytes().orElseThrow());
            assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        }
        assertThat(client.get(job.id()).outputs()).hasSize(2);
    }

    @Test
    void anUploadMadeByTheClientIsTheInputOfAnUpscale(@TempDir Path dir) throws IOException {
        CreativeAiClient client = client(tenant("client-upload", "pro"));
        Path picture = Files.write(dir.resolve("lighthouse.png"), TestImages.png(320, 240));

        Upload upload = client.upload(picture);

        assertThat(upload.isUploaded()).as(upload.json().toString()).isTrue();
        assertThat(upload.uploadedBytes()).hasValue(Files.size(picture));
        Generation job = client.createAndWait(ImageRequest.builder("flux").operation("upscale").image(upload).build(), JOB);
        assertThat(job.status()).as(job.json().toString()).isEqualTo(GenerationStatus.SUCCEEDED);
        assertThat(job.json().path("input").path("image").asText()).isEqualTo(upload.id());
        assertThat(client.download(job.outputs().get(0))).isNotEmpty();
    }

    @Test
    void aVideoIsCancelledAndASecondCancelIsRefusedAsEnded() {
        CreativeAiClient client = client(tenant("client-cancel", "pro"));
        Generation created = client.create(VideoRequest.of("kling", "waves at night", 5),
                RequestOptions.DEFAULT.withCancelAfter(Duration.ofMinutes(10)));
        assertThat(created.deadline()).as("the deadline the API took, from admission")
                .isEqualTo(created.createdAt().map(at -> at.plus(Duration.ofMinutes(10))));

        Generation cancelled = client.cancel(created.id());

        assertThat(cancelled.status()).isEqualTo(GenerationStatus.CANCELED);
        assertThat(client.waitFor(created.id(), JOB).status()).isEqualTo(GenerationStatus.CANCELED);
        assertThatThrownBy(() -> client.cancel(created.id())).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.status()).isEqualTo(409);
            assertThat(e.code()).isEqualTo("generation_ended");
            assertThat(e.requestId()).isPresent();
        });
    }

    @Test
    void aWorkflowRunsThroughTheClientItsSecondStepMadeFromTheFirstsOutput() {
        CreativeAiClient client = client(tenant("client-workflow", "pro"));
        Workflow created = client.createWorkflow(WorkflowRequest.builder()
                .step("still", ImageRequest.builder("sdxl").operation("text-to-image").prompt("a lighthouse").build())
                .step("larger", ImageRequest.builder("flux").operation("upscale")
                        .image(WorkflowRequest.output("still", 0)).build())
                .build(), RequestOptions.DEFAULT.withCancelAfter(Duration.ofMinutes(10)));
        assertThat(created.deadline()).as("the whole workflow's, from its create")
                .isEqualTo(created.createdAt().map(at -> at.plus(Duration.ofMinutes(10))));

        Workflow done = client.waitForWorkflow(created.id(), JOB);

        assertThat(done.status()).as(done.json().toString()).isEqualTo(WorkflowStatus.SUCCEEDED);
        Workflow.Step still = done.step("still").orElseThrow();
        Workflow.Step larger = done.step("larger").orElseThrow();
        assertThat(larger.dependsOn()).containsExactly("still");
        Generation upscale = client.get(larger.generationId().orElseThrow());
        assertThat(upscale.deadline()).as("every step carries the workflow's deadline").isEqualTo(created.deadline());
        assertThat(upscale.json().path("input").path("image").asText()).as("the still's stored output")
                .isEqualTo("outputs/" + still.generationId().orElseThrow() + "/1/0.png");
        assertThat(client.download(larger.outputs().get(0))).isNotEmpty();

        Workflow video = client.createWorkflow(WorkflowRequest.builder()
                .step("clip", VideoRequest.builder("kling").operation("text-to-video").prompt("waves").duration(5).build())
                .build());
        assertThat(client.cancelWorkflow(video.id()).status()).isEqualTo(WorkflowStatus.CANCELED);
        assertThatThrownBy(() -> client.cancelWorkflow(video.id())).isInstanceOfSatisfying(InvalidRequestException.class,
                e -> assertThat(e.code()).isEqualTo("workflow_ended"));
    }

    @Test
    void aTrainingOnFourUploadsMakesAModelOfTheTenantsOwnThatTheClientGeneratesWith() {
        var providers = cloud.services().providers();
        long trainingMs = providers.describeAll().path("flux").path("training_ms").asLong();
        providers.configure("flux", new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("training_ms", 2_000));
        try {
            CreativeAiClient client = client(tenant("client-training", "pro"));
            List<String> images = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                images.add(client.upload(TestImages.png(256 + i, 256), "image/png").id());
            }

            Generation created = client.createTraining(TrainingRequest.builder("flux").images(images)
                    .triggerWord("sksmug").steps(500).build());
            Generation trained = client.waitForTraining(created.id(), JOB);

            assertThat(trained.kind()).isEqualTo("training");
            assertThat(trained.status()).as(trained.json().toString()).isEqualTo(GenerationStatus.SUCCEEDED);
            String model = trained.fineTunedModel().orElseThrow();
            assertThat(client.listModels()).extracting(Model::id).contains(model);
            Generation generated = client.createAndWait(ImageRequest.builder(model).prompt("a sksmug on a desk").build(), JOB);
            assertThat(generated.status()).as(generated.json().toString()).isEqualTo(GenerationStatus.SUCCEEDED);
            assertThat(generated.modelActual()).contains("flux");
        } finally {
            providers.configure("flux", new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                    .put("training_ms", trainingMs));
        }
    }

    @Test
    void aBatchAdmitsItsGoodTasksAndRefusesTheBadOneNamingItsField() {
        CreativeAiClient client = client(tenant("client-batch", "pro"));

        BatchResult batch = client.createBatch(List.of(ImageRequest.of("sdxl", "one"),
                VideoRequest.builder("kling").prompt("no duration").build()));

        assertThat(batch.admitted()).isEqualTo(1);
        assertThat(batch.results().get(0).jobOrThrow().status()).isIn(GenerationStatus.QUEUED, GenerationStatus.RUNNING);
        assertThatThrownBy(batch.results().get(1)::jobOrThrow).isInstanceOfSatisfying(InvalidRequestException.class,
                e -> assertThat(e.param()).contains("tasks[1].duration"));
    }

    @Test
    void theModelsAndTheQuotaReadAsTheApiShowsThem() {
        CreativeAiClient client = client(tenant("client-account", "pro"));
        List<Model> models = client.listModels();
        assertThat(models).extracting(Model::id).contains("sdxl", "flux", "kling");
        assertThat(models).filteredOn(m -> m.id().equals("sdxl")).singleElement()
                .satisfies(m -> assertThat(m.operations()).contains("text-to-image", "upscale"));
        assertThat(client.quota().tier()).isEqualTo("pro");
        assertThat(client.quota().creditBalance()).hasValue(LocalCloud.TEST_CREDITS);
        assertThat(client.quota().maxCancelAfterSeconds()).as("a day, the plans' default").hasValue(86_400);
    }

    /**
     * A key limited to one create a minute: the create refused with 429 is sent again once
     * {@code Retry-After} has passed, i.e. in the next minute's window, and admitted; the caller sees
     * only the job. (It waits out the rest of a real minute: the local cloud's clock is the system's.)
     */
    @Test
    void aRateLimitedCreateIsSentAgainAfterItsRetryAfterAndAdmitted() {
        String key = tenant("client-429", "pro");
        cloud.accounts().setLimit(new TenantId("client-429"), "plan_requests_per_minute", "1", "client test");
        List<Instant[]> pauses = Collections.synchronizedList(new ArrayList<>());
        Sleeper recorded = duration -> {
            Instant before = Instant.now();
            Sleeper.THREAD.sleep(duration);
            pauses.add(new Instant[] {before, Instant.now()});
        };
        CreativeAiClient client = checked().apiKey(key).sleeper(recorded).build();

        // The first create may land at a minute's very end and the next in a fresh window: create until one is refused.
        for (int i = 0; i < 3 && pauses.isEmpty(); i++) {
            assertThat(client.create(ImageRequest.of("sdxl", "create " + i)).status())
                    .isIn(GenerationStatus.QUEUED, GenerationStatus.RUNNING, GenerationStatus.SUCCEEDED);
        }

        assertThat(pauses).as("one 429, waited out once").hasSize(1);
        Instant refusedAt = pauses.get(0)[0];
        Instant retriedAt = pauses.get(0)[1];
        assertThat(retriedAt.getEpochSecond() / 60).as("sent again only once the refusing minute's window had reset")
                .isGreaterThan(refusedAt.getEpochSecond() / 60);
        assertThat(Duration.between(refusedAt, retriedAt)).as("at most a minute's Retry-After and its 10 % of jitter")
                .isLessThan(Duration.ofSeconds(67));
    }

    /**
     * A proxy in front of the API that passes the first create through and loses its answer, replying
     * 504 as API Gateway does when an integration outlives it: the client sends the create again under
     * the same {@code Idempotency-Key} and gets the first answer replayed, so one job exists, not two.
     */
    @Test
    void aCreateWhoseAnswerWasLostIsSentAgainUnderItsKeyAndMakesOneJob() throws IOException {
        String key = tenant("client-lost-answer", "pro");
        HttpClient upstream = HttpClient.newHttpClient();
        List<String> keysSeen = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<String> lostAnswer = new AtomicReference<>();
        HttpServer proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        proxy.createContext("/", exchange -> {
            try (exchange) {
                HttpRequest.Builder forward = HttpRequest.newBuilder(cloud.apiUrl().resolve(exchange.getRequestURI()))
                        .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(
                                exchange.getRequestBody().readAllBytes()));
                exchange.getRequestHeaders().forEach((name, values) -> {
                    if (!Set.of("host", "content-length", "connection", "upgrade", "http2-settings")
                            .contains(name.toLowerCase(Locale.ROOT))) {
                        values.forEach(v -> forward.header(name, v));
                    }
                });
                keysSeen.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
                HttpResponse<byte[]> answer = upstream.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                byte[] body = answer.body();
                if (lostAnswer.compareAndSet(null, new String(body, StandardCharsets.UTF_8))) {
                    body = "{\"message\":\"Gateway Timeout\"}".getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(504, body.length);
                } else {
                    answer.headers().map().forEach((name, values) -> {
                        if (!Set.of("content-length", "transfer-encoding", "connection", ":status").contains(name)) {
                            exchange.getResponseHeaders().put(name, values);
                        }
                    });
                    exchange.sendResponseHeaders(answer.statusCode(), body.length);
                }
                exchange.getResponseBody().write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        proxy.start();
        try {
            CreativeAiClient client = CreativeAiClient.builder()
                    .baseUrl("http://127.0.0.1:" + proxy.getAddress().getPort()).apiKey(key).build();

            Generation job = client.create(ImageRequest.of("sdxl", "a job made once"));

            assertThat(lostAnswer.get()).as("the gateway admitted the first create").contains("\"id\":\"" + job.id() + "\"");
            assertThat(job.replayed()).as("the second answer is the first one's replay").isTrue();
            assertThat(keysSeen).hasSize(2).doesNotContainNull();
            assertThat(keysSeen.get(1)).isEqualTo(keysSeen.get(0));
        } finally {
            proxy.stop(0);
        }
    }

    @Test
    void aDeliveredWebhookVerifiesWithTheClientsVerifierInBothSchemes() {
        String key = tenant("client-webhook", "pro");
        String secret = cloud.administration().signingSecret(new TenantId("client-webhook")).reveal();
        String path = "/client-" + System.nanoTime();
        Generation job = client(key).create(ImageRequest.builder("sdxl").prompt("a signed fox")
                .webhookUrl(cloud.apiUrl() + "/_local/webhooks" + path).build());

        List<WebhookReceiver.Delivery> deliveries = cloud.services().webhooks().await(d -> d.path().equals(path), 1, JOB);

        assertThat(deliveries).hasSize(1);
        WebhookVerifier verifier = WebhookVerifier.of(secret);
        List<String> types = new ArrayList<>();
        for (WebhookReceiver.Delivery delivery : deliveries) {
            WebhookEvent event = verifier.verify(delivery.headers(), delivery.body());
            assertThat(event.id()).isEqualTo(delivery.header("webhook-id"));
            assertThat(event.generation().orElseThrow().id()).isEqualTo(job.id());
            assertThat(verifier.verifySignatureHeader(delivery.headers(), delivery.body()).id()).isEqualTo(event.id());
            types.add(event.type());
        }
        assertThat(types).containsExactly("generation.succeeded");

        WebhookReceiver.Delivery last = deliveries.get(0);
        byte[] forged = last.bodyText().replace("succeeded", "failed").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> verifier.verify(last.headers(), forged)).isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> WebhookVerifier.of(cloud.demoTenants().get(1).signingSecret())
                .verify(last.headers(), last.body())).as("another tenant's secret").isInstanceOf(WebhookVerificationException.class);
    }

    /** The README's Java client example, run with the JDK's source launcher as its text says, against this cloud. */
    @Test
    void theReadmeExampleRunsAsWritten(@TempDir Path dir) throws Exception {
        String readme = Files.readString(LocalCloudExtension.projectRoot().resolve("README.md"));
        int from = readme.indexOf("## Java client");
        assertThat(from).as("the README's Java client section").isNotNegative();
        String section = readme.substring(from, readme.indexOf("\n## ", from + 10));
        Matcher java = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(section);
        assertThat(java.find()).isTrue();
        Files.writeString(dir.resolve("Example.java"), java.group(1).replace("http://127.0.0.1:3000", cloud.apiUrl().toString()));
        Matcher command = Pattern.compile("\n(java -cp .* Example\\.java)\n").matcher(section);
        assertThat(command.find()).as("the README's command that runs it").isTrue();

        // The client's classes and Jackson's jars, as the README's command puts them together, and nothing else.
        String classpath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.contains("clients" + File.separator + "java") || entry.contains("creativeai-client")
                        || entry.matches(".*jackson-(core|databind|annotations)-[^" + File.separator + "]*\\.jar"))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(classpath).contains("jackson-databind");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                classpath, "Example.java").directory(dir.toFile()).redirectErrorStream(true).start();
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains(" succeeded");
        try (var files = Files.list(dir)) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith(".png"))).hasSize(2);
        }
    }
}
