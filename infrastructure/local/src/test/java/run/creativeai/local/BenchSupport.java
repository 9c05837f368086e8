package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import run.creativeai.local.runtime.FunctionHost;

/** What the benchmarks against the local cloud share: provider settings, job submission, function counters. */
final class BenchSupport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BenchSupport() {
    }

    /**
     * Sets the named simulated providers to answer with no latency (so a run measures the gateway,
     * not the simulated GPU) and returns what puts their previous latencies back.
     */
    static AutoCloseable zeroLatency(LocalCloud cloud, List<String> providers) {
        Map<String, ObjectNode> before = new LinkedHashMap<>();
        for (String name : providers) {
            ObjectNode previous = JSON.createObjectNode().set("latency_ms",
                    cloud.services().providers().describeAll().path(name).path("latency_ms"));
            before.put(name, previous);
            cloud.services().providers().configure(name, JSON.createObjectNode().put("latency_ms", 0));
        }
        return () -> before.forEach((name, settings) -> cloud.services().providers().configure(name, settings));
    }

    static void providerMode(LocalCloud cloud, String provider, String mode) {
        cloud.services().providers().configure(provider, JSON.createObjectNode().put("mode", mode));
    }

    /** Submits an image job whose webhook goes to the local receiver at {@code path}; returns the HTTP response. */
    static Api.Response submit(Api api, LocalCloud cloud, String key, String model, String path) {
        return api.post("/v1/images/generations", key, "{\"model\":\"" + model + "\",\"prompt\":\"bench\",\"webhook_url\":\""
                + cloud.apiUrl() + "/_local/webhooks" + path + "\"}");
    }

    static String accepted(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        return response.json().path("id").asText();
    }

    /** Every function's invocations and billed milliseconds so far, by logical id. */
    static Map<String, long[]> functionCounters(LocalCloud cloud) {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (FunctionHost f : cloud.runtime().functions().values()) {
            out.put(f.logicalId(), new long[] {f.invocations(), f.billedMillis(), f.function().memoryMb()});
        }
        return out;
    }

    /**
     * Waits until {@code reading} has not changed for {@code quiet}: the system is idle. Fails the
     * benchmark if it is still busy after {@code limit}, since its numbers would then include work
     * that is not its own.
     */
    static void awaitQuiet(java.util.function.Supplier<Object> reading, Duration quiet, Duration limit) {
        AtomicReference<Object> last = new AtomicReference<>(reading.get());
        await("the system is idle: the reading stays the same for " + quiet.toMillis() + " ms").during(quiet)
                .atMost(limit.plus(quiet)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    Object now = reading.get();
                    return now.equals(last.getAndSet(now));
                });
    }

    static String ms(double nanos) {
        return ms(nanos, 1);
    }

    /** Nanoseconds as milliseconds to {@code decimals} places (2 for calls of a millisecond or two). */
    static String ms(double nanos, int decimals) {
        return String.format(java.util.Locale.ROOT, "%." + decimals + "f", nanos / 1e6);
    }

    /** What a probe's JVM printed, its error stream with it, and its exit code. */
    record ProbeRun(int exit, String output) {
        /** The {@code name=value} fields of every line that is {@code tag}, a space and fields, in order. */
        List<Map<String, String>> lines(String tag) {
            List<Map<String, String>> lines = new ArrayList<>();
            for (String line : output.split("\n")) {
                if (line.startsWith(tag + " ")) {
                    Map<String, String> fields = new LinkedHashMap<>();
                    for (String field : line.substring(tag.length() + 1).trim().split(" ")) {
                        fields.put(field.substring(0, field.indexOf('=')), field.substring(field.indexOf('=') + 1));
                    }
                    lines.add(fields);
                }
            }
            return lines;
        }
    }

    /**
     * Runs {@code main} with {@code args} in a JVM of its own on the tests' class path, started with
     * {@code jvmOptions} and this JVM's environment plus {@code environment}, and waits for its end.
     */
    static ProbeRun probe(List<String> jvmOptions, Class<?> main, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(main.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new ProbeRun(process.waitFor(), output);
    }

    static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }
}
