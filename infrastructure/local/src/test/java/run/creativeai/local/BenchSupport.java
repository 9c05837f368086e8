package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
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
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
    }

    static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }
}
