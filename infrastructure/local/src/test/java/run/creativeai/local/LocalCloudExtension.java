package run.creativeai.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;
import run.creativeai.local.services.DockerUnavailable;

/**
 * One local cloud for the whole test run (in memory, on a free port), started before the first test
 * class that uses it and stopped when the test JVM ends; test classes ask for it as a parameter, and
 * property tests (jqwik, which runs beside JUnit Jupiter and has no Jupiter extensions) through
 * {@link #shared()}. Under the localstack profile on a machine without Docker, the classes that use
 * it are skipped, saying why. After each class, every webhook the local receiver got since the last
 * check is held to the OpenAPI document's {@code webhooks}: a delivery it does not describe fails
 * the class.
 */
public final class LocalCloudExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    /** How many of the receiver's deliveries have been checked against the document. */
    private static int webhooksChecked;

    @Override
    public void beforeAll(ExtensionContext context) {
        OpenApiContract.shared();
        try {
            cloud(context);
        } catch (DockerUnavailable e) {
            throw new TestAbortedException(e.getMessage(), e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        List<String> violations = new java.util.ArrayList<>();
        synchronized (LocalCloudExtension.class) {
            if (shared == null) {
                return;
            }
            List<run.creativeai.local.services.WebhookReceiver.Delivery> deliveries = shared.services().webhooks()
                    .deliveries();
            for (var delivery : deliveries.subList(webhooksChecked, deliveries.size())) {
                // Only what the gateway sent: it signs every delivery (a test may post to the receiver itself).
                if (delivery.header("webhook-id") == null) {
                    continue;
                }
                Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
                delivery.headers().forEach((name, value) -> headers.put(name, List.of(value)));
                OpenApiContract.shared().webhookViolations(headers, delivery.bodyText())
                        .forEach(v -> violations.add(delivery.path() + ": " + v));
            }
            webhooksChecked = deliveries.size();
        }
        if (!violations.isEmpty()) {
            throw new AssertionError("webhooks were delivered that " + OpenApiContract.DOCUMENT
                    + " does not describe:\n  " + String.join("\n  ", violations));
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalCloud.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return cloud(context);
    }

    private static LocalCloud cloud(ExtensionContext context) {
        return shared();
    }

    private static LocalCloud shared;

    /** The test run's local cloud, started on first use; a JVM shutdown hook stops it. */
    public static synchronized LocalCloud shared() {
        if (shared == null) {
            LocalCloud cloud = LocalCloud.start(options());
            Runtime.getRuntime().addShutdownHook(new Thread(cloud::close, "local-cloud-stop"));
            shared = cloud;
        }
        return shared;
    }

    /**
     * A local cloud of the caller's own, configured as the shared one, for a class whose checks read
     * the whole cloud (a queue that falls idle, the reconciler's sweep of every job), which another
     * class's work still going (a training waiting for its tier's slot) would otherwise reach. The
     * caller closes it.
     */
    public static LocalCloud own() {
        try {
            return LocalCloud.start(options());
        } catch (DockerUnavailable e) {
            throw new TestAbortedException(e.getMessage(), e);
        }
    }

    private static LocalCloud.Options options() {
        return new LocalCloud.Options(projectRoot().resolve("template.yaml"), 0, Optional.empty(), Map.of(
                "PlanConfig", planConfig(),
                // One small provider for priority under saturation (only vidu-only jobs and the video chain's
                // last link use it), and circuits that recover within a test.
                "ProviderCapacity", "{\"" + SMALL_PROVIDER + "\":" + SMALL_PROVIDER_SLOTS + "}",
                "CircuitCoolDownSeconds", Long.toString(CIRCUIT_COOL_DOWN_SECONDS)));
    }

    /** Tenants with small custom limits, so tests reach them fast. */
    public static final String SMALL_DAILY_QUOTA_TENANT = "e2e-daily-quota";
    public static final String ONE_SLOT_TENANT = "e2e-one-slot";
    /** For benchmarks: limits far above what a bounded run reaches, so every rule is still checked and counted. */
    public static final String BENCH_TENANT = "bench-high-limits";
    /** A free-tier tenant without video limits, so a test can queue a free backlog quickly. */
    public static final String FREE_FLOOD_TENANT = "e2e-free-flood";
    /** The same for the pro tier, for benchmarks that flood every tier. */
    public static final String PRO_FLOOD_TENANT = "e2e-pro-flood";
    public static final String SMALL_PROVIDER = "vidu";
    public static final int SMALL_PROVIDER_SLOTS = 4;
    public static final long CIRCUIT_COOL_DOWN_SECONDS = 5;
    /** One slot too, for the crash tests alone: a slot a dead worker kept shows as a job that never starts. */
    public static final String CRASH_ONE_SLOT_TENANT = "e2e-crash-one-slot";

    /**
     * The bundled plans with custom limits for the test tenants above, passed as the template's
     * PlanConfig parameter, as an operator would configure an enterprise customer's limits.
     */
    static String planConfig() {
        try (var in = LocalCloudExtension.class.getResourceAsStream("/plans.json")) {
            ObjectMapper json = new ObjectMapper();
            ObjectNode plans = (ObjectNode) json.readTree(in);
            ObjectNode tenants = plans.putObject("tenants");
            tenants.putObject(SMALL_DAILY_QUOTA_TENANT).put("daily_tasks", 3);
            tenants.putObject(ONE_SLOT_TENANT).put("concurrent_tasks", 1);
            tenants.putObject(BENCH_TENANT).put("requests_per_minute", 1_000_000).put("reads_per_minute", 1_000_000)
                    .put("create_requests_per_minute", 1_000_000).put("concurrent_tasks", 100_000)
                    .put("daily_tasks", 100_000_000);
            for (String tenant : List.of(FREE_FLOOD_TENANT, PRO_FLOOD_TENANT)) {
                ObjectNode flood = tenants.putObject(tenant).put("requests_per_minute", 1000).put("model_limits", "unlimited");
                flood.putObject("video").put("requests_per_minute", "unlimited").put("concurrent", "unlimited")
                        .put("per_24_hours", "unlimited").put("per_30_minutes", "unlimited");
            }
            tenants.putObject(CRASH_ONE_SLOT_TENANT).put("concurrent_tasks", 1);
            return json.writeValueAsString(plans);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static Path projectRoot() {
        return Path.of(System.getProperty("project.root", "../..")).toAbsolutePath().normalize();
    }
}
