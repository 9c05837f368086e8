package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * The local cloud as {@code infrastructure/local/run --data DIR} runs it, in a JVM of its own, so
 * that SIGTERM is the real signal: sent while jobs run, it stops in order, losing nothing, and
 * started again on the same data it finishes every job, each webhook delivered once, with no error
 * in either run's log. The webhook receiver is this test's own, on loopback, since the local
 * cloud's receiver stops with it.
 */
class LocalCloudRestartIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String KEY = "sk-local-enterprise";
    private static final int JOBS = 50;
    /** Long enough that the jobs are still at their provider when SIGTERM comes, short enough for a quick test. */
    private static final long PROVIDER_LATENCY_MS = 3000;
    /** What a stop or a start may take on a loaded machine before the test gives up on it (not a measurement). */
    private static final Duration PROCESS_BOUND = Duration.ofMinutes(3);
    /** What an error looks like in either log: an error line, the symptoms of a disorderly stop, a stack trace. */
    private static final Pattern ERROR_LINE = Pattern.compile(
            "ERROR|Database is already closed|inconsistent|\\tat |\\\\tat |Exception in thread");

    private final List<LocalCloudProcess> started = new ArrayList<>();
    private final ConcurrentLinkedQueue<Delivery> deliveries = new ConcurrentLinkedQueue<>();
    private final ExecutorService receiverThreads = Executors.newFixedThreadPool(8);
    private HttpServer receiver;

    private record Delivery(String webhookId, String jobId) {
    }

    @AfterEach
    void stopEverything() {
        started.forEach(LocalCloudProcess::kill);
        if (receiver != null) {
            receiver.stop(0);
        }
        receiverThreads.shutdownNow();
    }

    @Test
    void jobsRunningAtSigtermAllEndAfterARestartOnTheSameDataAndEachWebhookArrivesOnce(
            @TempDir(factory = MemoryBackedDirectory.class) Path data) throws Exception {
        URI hook = startReceiver();
        Path logs = Files.createDirectories(Path.of("target", "restart-it"));

        LocalCloudProcess first = start(data, logs.resolve("first-run.log"));
        configureEveryProvider(first.api(), "{\"latency_ms\":" + PROVIDER_LATENCY_MS + "}");
        List<String> jobs = submit(first.api(), hook, JOBS);
        await("half the jobs have reached their provider").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).until(() -> submittedToProviders(first.api()) >= JOBS / 2);
        Duration shutdown = first.terminate();
        System.out.printf("SIGTERM with %d jobs under way: the local cloud stopped in %d ms%n", JOBS, shutdown.toMillis());

        LocalCloudProcess second = start(data, logs.resolve("second-run.log"));
        await("every job ended and its webhook arrived, within 60 s of the restart").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> deliveries.stream().map(Delivery::jobId).collect(Collectors.toSet()).containsAll(jobs));
        for (String id : jobs) {
            JsonNode job = JSON.readTree(send(HttpRequest.newBuilder(second.api().resolve("/v1/generations/" + id))
                    .header("Authorization", "Bearer " + KEY).GET()).body());
            assertThat(job.path("status").asText()).as("job %s after the restart", id).isEqualTo("succeeded");
        }
        // Stopped in order too: whatever was still under way has finished, so every delivery made is counted.
        second.terminate();

        Set<String> webhookIds = deliveries.stream().map(Delivery::webhookId).collect(Collectors.toSet());
        assertThat(webhookIds).as("one event per job").hasSize(JOBS);
        assertThat(deliveries).as("each event delivered once, none again after the restart").hasSize(JOBS);
        assertThat(errorLines(first.log())).as("errors in the first run's log (%s)", first.log()).isEmpty();
        assertThat(errorLines(second.log())).as("errors in the second run's log (%s)", second.log()).isEmpty();
    }

    /**
     * What only the start's reconciler run recovers: SIGKILL while every job's dispatcher invocation
     * waits on a provider that hangs leaves each job running with its submission unrecorded, and its
     * queue message in flight, invisible for the queue's 3-minute visibility timeout; the
     * reconciler's own threshold would take 5 minutes more. Told that the system restarted, the run
     * at start takes them up at once.
     */
    @Test
    void jobsWhoseSubmissionASigkillCutAreTakenUpAtOnceWhenTheLocalCloudStartsAgain(
            @TempDir(factory = MemoryBackedDirectory.class) Path data) throws Exception {
        URI hook = startReceiver();
        Path logs = Files.createDirectories(Path.of("target", "restart-it"));
        // Fewer than a circuit's 5 failures in a row, so the providers stay in use after the restart.
        int cut = 4;

        LocalCloudProcess first = start(data, logs.resolve("killed-run.log"));
        configureEveryProvider(first.api(), "{\"mode\":\"slow\",\"latency_ms\":60000}");
        List<String> jobs = submit(first.api(), hook, cut);
        await("every job's submission hangs at its provider").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).until(() -> requestsToProviders(first.api()) >= cut);
        first.kill();

        LocalCloudProcess second = start(data, logs.resolve("after-kill-run.log"));
        await("every job ended and its webhook arrived, within 60 s of the restart").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> deliveries.stream().map(Delivery::jobId).collect(Collectors.toSet()).containsAll(jobs));
        second.terminate();
        assertThat(errorLines(second.log())).as("errors in the log after the restart (%s)", second.log()).isEmpty();
    }

    /**
     * The runs' data directory, on memory-backed files where the machine has them (/dev/shm): they
     * outlive the process as a restart needs. DynamoDB Local's disk store syncs each write, about
     * 30-50 ms apiece on a loaded two-core machine against 11-16 ms in memory, and 50 jobs at once
     * then queue writes past the functions' 10 s call timeout: the disk's speed, not this test's subject.
     */
    static final class MemoryBackedDirectory implements TempDirFactory {
        @Override
        public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context) throws IOException {
            Path memory = Path.of("/dev/shm");
            Path parent = Files.isDirectory(memory) && Files.isWritable(memory) ? memory
                    : Path.of(System.getProperty("java.io.tmpdir"));
            return Files.createTempDirectory(parent, "local-cloud-restart-");
        }
    }

    private LocalCloudProcess start(Path data, Path log) {
        LocalCloudProcess process = LocalCloudProcess.start(data, log);
        started.add(process);
        return process;
    }

    /** Records each delivery's webhook-id and job, and answers 200 at once. */
    private URI startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        receiver.setExecutor(receiverThreads);
        receiver.createContext("/hooks", exchange -> {
            try (exchange) {
                JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
                deliveries.add(new Delivery(exchange.getRequestHeaders().getFirst("webhook-id"),
                        body.path("data").path("id").asText()));
                exchange.sendResponseHeaders(200, -1);
            }
        });
        receiver.start();
        return URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks");
    }

    /** Sets every simulated provider through the control route, as a developer would. */
    private static void configureEveryProvider(URI api, String settings) throws IOException {
        JsonNode providers = JSON.readTree(send(HttpRequest.newBuilder(api.resolve("/_local/providers")).GET()).body());
        providers.fieldNames().forEachRemaining(name -> {
            HttpResponse<String> answer = send(HttpRequest.newBuilder(api.resolve("/_local/providers/" + name))
                    .POST(HttpRequest.BodyPublishers.ofString(settings)));
            assertThat(answer.statusCode()).as("%s of %s", settings, name).isEqualTo(200);
        });
    }

    /** Jobs the providers accepted. */
    private static long submittedToProviders(URI api) throws IOException {
        return sumOverProviders(api, "submitted");
    }

    /** Calls that reached the providers, answered or not yet. */
    private static long requestsToProviders(URI api) throws IOException {
        return sumOverProviders(api, "requests");
    }

    private static long sumOverProviders(URI api, String counter) throws IOException {
        JsonNode providers = JSON.readTree(send(HttpRequest.newBuilder(api.resolve("/_local/providers")).GET()).body());
        long sum = 0;
        for (JsonNode provider : providers) {
            sum += provider.path(counter).asLong();
        }
        return sum;
    }

    /** Submits image jobs from two clients at once; every one must be accepted. */
    private static List<String> submit(URI api, URI hook, int count) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String body = "{\"model\":\"seedream\",\"prompt\":\"restart " + i + "\",\"webhook_url\":\"" + hook + "\"}";
                answers.add(clients.submit(() -> send(HttpRequest.newBuilder(api.resolve("/v1/images/generations"))
                        .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)))));
            }
            List<String> ids = new ArrayList<>();
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
                ids.add(JSON.readTree(response.body()).path("id").asText());
            }
            return ids;
        } finally {
            clients.shutdown();
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> errorLines(Path log) throws IOException {
        return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(line -> ERROR_LINE.matcher(line).find())
                .map(line -> line.length() > 600 ? line.substring(0, 600) + "..." : line)
                .toList();
    }

    /**
     * One run of the local cloud in a JVM of its own, started with the command and classpath of
     * {@code infrastructure/local/run} (the classpath file the build writes at package, hence an IT),
     * on a free port; its output goes to a log file.
     */
    private static final class LocalCloudProcess {
        private static final Pattern READY = Pattern.compile("^READY (http://\\S+)$", Pattern.MULTILINE);

        private final Process process;
        private final Path log;
        private final URI api;

        private LocalCloudProcess(Process process, Path log, URI api) {
            this.process = process;
            this.log = log;
            this.api = api;
        }

        static LocalCloudProcess start(Path data, Path log) {
            Path root = LocalCloudExtension.projectRoot();
            Path target = root.resolve("infrastructure/local/target");
            String classpath;
            try {
                classpath = target.resolve("classes") + File.pathSeparator
                        + Files.readString(target.resolve("local-cloud.classpath")).trim();
            } catch (IOException e) {
                throw new UncheckedIOException("the build writes local-cloud.classpath at package", e);
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder command = new ProcessBuilder(java, "-XX:+UseSerialGC", "-Xshare:auto", "-cp", classpath,
                    "run.creativeai.local.LocalCloud", "--template", root.resolve("template.yaml").toString(),
                    "--port", "0", "--data", data.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Process process;
            try {
                process = command.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            URI api = await("the local cloud prints READY (" + log + ")").atMost(PROCESS_BOUND)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> readyUrl(log, process), Optional::isPresent).orElseThrow();
            return new LocalCloudProcess(process, log, api);
        }

        private static Optional<URI> readyUrl(Path log, Process process) throws IOException {
            if (!process.isAlive()) {
                throw new AssertionError("the local cloud exited with " + process.exitValue() + "; see " + log);
            }
            Matcher ready = READY.matcher(Files.readString(log, StandardCharsets.UTF_8));
            return ready.find() ? Optional.of(URI.create(ready.group(1))) : Optional.empty();
        }

        URI api() {
            return api;
        }

        Path log() {
            return log;
        }

        /** SIGTERM, as Ctrl-C or a service manager stops it; how long it took to exit. */
        Duration terminate() throws InterruptedException {
            long sent = System.nanoTime();
            process.destroy();
            assertThat(process.waitFor(PROCESS_BOUND.toSeconds(), TimeUnit.SECONDS))
                    .as("the local cloud exits after SIGTERM (%s)", log).isTrue();
            return Duration.ofNanos(System.nanoTime() - sent);
        }

        /** SIGKILL: the process dies where it stands, as on a crash or power loss; returns once it is gone. */
        void kill() {
            process.destroyForcibly();
            try {
                process.waitFor(PROCESS_BOUND.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
