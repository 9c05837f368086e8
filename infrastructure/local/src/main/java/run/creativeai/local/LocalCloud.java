package run.creativeai.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpHandler;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.access.AccountAdministration;
import run.creativeai.gateway.access.TenantAdministration;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.secrets.TenantSigningSecrets;
import run.creativeai.gateway.adapters.wiring.Adapters;
import run.creativeai.gateway.adapters.wiring.AdministrationWiring;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.local.runtime.FunctionHost;
import run.creativeai.local.runtime.TemplateRuntime;
import run.creativeai.local.services.LocalServices;
import run.creativeai.template.Template;

/**
 * The whole gateway on one machine: the local services, simulated providers for every provider of
 * the model catalogue, template.yaml run by the local runtime, and three demo tenants. Started by
 * {@code infrastructure/local/run}.
 */
public final class LocalCloud implements AutoCloseable {
    public static final String STACK_NAME = "creativeai-local";
    private static final Logger LOG = LoggerFactory.getLogger(LocalCloud.class);
    private static final String RECONCILER = "ReconcilerFunction";
    private static final String RECONCILER_SCHEDULE = "Sweep";

    private final LocalServices services;
    private final TemplateRuntime runtime;
    private final TenantAdministration administration;
    private final AccountAdministration accounts;
    private final List<DemoTenants.DemoTenant> demoTenants;
    private final LocalStats stats;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalCloud(LocalServices services, TemplateRuntime runtime, TenantAdministration administration,
            AccountAdministration accounts, List<DemoTenants.DemoTenant> demoTenants, LocalStats stats) {
        this.services = services;
        this.runtime = runtime;
        this.administration = administration;
        this.accounts = accounts;
        this.demoTenants = demoTenants;
        this.stats = stats;
    }

    /**
     * Options of one start.
     *
     * @param parameters template parameters to set beyond the local cloud's own (e.g. {@code PlanConfig})
     */
    public record Options(Path template, int port, Optional<Path> dataDir, Map<String, String> parameters) {
        public Options(Path template, int port, Optional<Path> dataDir) {
            this(template, port, dataDir, Map.of());
        }

        public Options {
            parameters = Map.copyOf(parameters);
        }
    }

    public static LocalCloud start(Options options) {
        Template template = Template.load(options.template());
        LocalServices services = LocalServices.start(options.dataDir(), Clock.systemUTC());
        TemplateRuntime runtime = null;
        try {
            SecureRandom random = new SecureRandom();
            ObjectMapper json = new ObjectMapper();
            ObjectNode endpoints = json.createObjectNode();
            ObjectNode credentials = json.createObjectNode();
            for (var provider : ModelCatalog.defaults().providers().entrySet()) {
                byte[] key = new byte[16];
                random.nextBytes(key);
                String name = provider.getKey();
                String apiKey = "sim-" + name + "-" + HexFormat.of().formatHex(key);
                services.providers().register(name, apiKey, provider.getValue());
                endpoints.put(name, services.providers().url(name).toString());
                credentials.put(name, apiKey);
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("ProviderEndpoints", endpoints.toString());
            parameters.put("AllowLoopbackWebhooks", "true");
            parameters.putAll(options.parameters());
            Map<String, HttpHandler> mounts = new LinkedHashMap<>();
            mounts.put("/_local/providers", new ProviderControl(services.providers()));
            mounts.put("/_local/webhooks", services.webhooks());
            mounts.put(SamplePicture.PATH, new SamplePicture());
            AtomicReference<Map<String, String>> adminEnvironment = new AtomicReference<>(Map.of());
            mounts.put("/_local/admin/environment", exchange -> {
                try (exchange) {
                    byte[] body = json.writeValueAsBytes(adminEnvironment.get());
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                }
            });

            // The stats route and page need the running cloud; they answer once it has started.
            AtomicReference<LocalStats> stats = new AtomicReference<>();
            HttpHandler statsRoute = exchange -> {
                LocalStats ready = stats.get();
                if (ready == null) {
                    exchange.sendResponseHeaders(503, -1);
                    exchange.close();
                } else {
                    ready.handle(exchange);
                }
            };
            mounts.put("/_local/stats", statsRoute);
            mounts.put("/_local/", statsRoute);

            runtime = new TemplateRuntime(template, services, STACK_NAME, options.port(), parameters, mounts);
            Map<String, String> environment = new LinkedHashMap<>();
            runtime.functions().values().stream().map(FunctionHost::environment).forEach(environment::putAll);
            // The provider credentials secret holds the simulators' keys, as an operator fills it after a deploy.
            runtime.secretsManager().putSecretValue(b -> b.secretId(environment.get(Components.PROVIDER_CREDENTIALS_SECRET))
                    .secretString(credentials.toString()));
            // Likewise the secrets the providers sign their callbacks with.
            ObjectNode callbackSecrets = json.createObjectNode();
            services.providers().names().forEach(name -> callbackSecrets.set(name, services.providers().callbackVerification(name)));
            runtime.secretsManager().putSecretValue(b -> b.secretId(environment.get(Components.PROVIDER_WEBHOOK_SECRETS))
                    .secretString(callbackSecrets.toString()));

            // The tenant command (infrastructure/admin/tenant --local) administers with this same environment.
            adminEnvironment.set(Map.copyOf(environment));
            Components components = new Components(FunctionEnvironment.of(environment), Clock.systemUTC());
            AdministrationWiring wiring = new AdministrationWiring(components);
            TenantAdministration administration = wiring.tenants();
            AccountAdministration accounts = wiring.accounts();
            List<DemoTenants.DemoTenant> tenants = DemoTenants.seed(administration, accounts);
            // Every tenant's secret, however it was created (demo, tenant command, tests), by the functions' naming.
            TenantSigningSecrets signingSecrets = Adapters.signingSecrets(components);
            services.readTenantSecretsFrom(() -> {
                Map<String, String> byTenant = new LinkedHashMap<>();
                signingSecrets.currentOfEveryTenant().forEach((tenant, secret) -> byTenant.put(tenant.value(),
                        secret.reveal()));
                return byTenant;
            });
            // The status page is there from the start; the status function's schedule keeps it current.
            wiring.board().refresh(Clock.systemUTC().instant());
            stats.set(new LocalStats(template, runtime, services.providers(), components, Clock.systemUTC()));
            if (options.dataDir().isPresent()) {
                recoverWhatTheLastRunLeft(runtime);
            }
            runtime.start();
            return new LocalCloud(services, runtime, administration, accounts, tenants, stats.get());
        } catch (RuntimeException e) {
            if (runtime != null) {
                runtime.close();
            }
            services.close();
            throw e;
        }
    }

    /**
     * Kept data may hold jobs the previous run of the local cloud left between two steps: whatever
     * was under way when it stopped ended with it. Before anything runs, the reconciler looks at
     * every unsettled job at once, told that the system has just started again, so none waits for
     * the reconciler's schedule and threshold; a job whose next message is still queued only gets a
     * second one, which changes nothing.
     */
    private static void recoverWhatTheLastRunLeft(TemplateRuntime runtime) {
        Instant now = Instant.now();
        try {
            String report = runtime.schedule(RECONCILER, RECONCILER_SCHEDULE)
                    .fire(now, Map.of("restarted_at", now.toString()));
            LOG.info("jobs the previous run left, looked at again: {}", report);
        } catch (FunctionHost.InvocationFailure e) {
            LOG.warn("the reconciler's run at start failed ({}); its schedule takes the jobs up instead", e.getMessage());
        }
    }

    public URI apiUrl() {
        return runtime.apiUrl();
    }

    public LocalServices services() {
        return services;
    }

    public TemplateRuntime runtime() {
        return runtime;
    }

    /** Tenant administration against this cloud's tables and secrets, as the tenant command does it. */
    public TenantAdministration administration() {
        return administration;
    }

    /** Credits, custom limits, dedicated slots and key budgets, as the tenant command changes them. */
    public AccountAdministration accounts() {
        return accounts;
    }

    public List<DemoTenants.DemoTenant> demoTenants() {
        return demoTenants;
    }

    /** Credits {@link #issueKey} gives a tenant that has fewer: more than any bounded test or benchmark spends. */
    public static final long TEST_CREDITS = 100_000_000L;

    /**
     * Issues a key on a new or existing tenant, gives the tenant a webhook signing secret, as the tenant
     * command does, and tops its credits up to {@link #TEST_CREDITS}, so its requests are decided by
     * their limits (a test of credits sets the balance it needs).
     */
    public TenantAdministration.IssuedKey issueKey(String tenant, String plan) {
        TenantId id = new TenantId(tenant);
        TenantAdministration.IssuedKey key = administration.issueKey(id, plan);
        administration.signingSecret(id);
        if (accounts.show(id).balance().available() < TEST_CREDITS) {
            accounts.setCredits(id, TEST_CREDITS, "local cloud");
        }
        return key;
    }

    void printBanner(PrintStream out) {
        out.println();
        out.println("CreativeAI gateway, local cloud (" + STACK_NAME + ")");
        out.println("  API                " + apiUrl());
        out.println("  webhook receiver   " + apiUrl() + "/_local/webhooks/<any path>   (GET lists deliveries)");
        out.println("  provider control   " + apiUrl() + "/_local/providers");
        out.println("  live stats         " + apiUrl() + "/_local/   (the page; JSON at /_local/stats)");
        out.println("  status page        " + apiUrl() + "/status   (JSON at /v1/status)");
        out.println("  sample image       " + apiUrl() + SamplePicture.PATH + "   (a real PNG to upload: curl -s -o sample.png "
                + apiUrl() + SamplePicture.PATH + ")");
        out.println("  AWS services       " + services.aws().description());
        out.println("    DynamoDB         " + services.dynamoDbEndpoint());
        out.println("    SQS              " + services.sqsEndpoint());
        out.println("    Secrets Manager  " + services.secretsManagerEndpoint());
        out.println("    S3               " + services.s3Endpoint() + "   (buckets "
                + String.join(", ", runtime.resources().bucketNames()) + ")");
        out.println();
        out.println("Demo tenants:");
        out.printf("  %-11s %-17s %-19s %-10s %s%n", "plan", "tenant", "API key", "credits", "webhook signing secret");
        for (DemoTenants.DemoTenant t : demoTenants) {
            out.printf("  %-11s %-17s %-19s %-10d %s%n", t.plan(), t.tenant().value(), t.apiKey(), t.credits(),
                    t.signingSecret());
        }
        out.println();
        out.println("READY " + apiUrl());
        out.flush();
    }

    /**
     * The one way the local cloud stops, whether closed or sent SIGTERM: the runtime takes no new
     * work and lets every invocation under way finish, then the services close (ElasticMQ before
     * DynamoDB Local), so nothing the last invocations wrote or sent is lost. Only the first call
     * stops it.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long started = System.nanoTime();
        runtime.close();
        stats.close();
        services.close();
        LOG.info("the local cloud stopped in {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    public static void main(String[] args) {
        int port = 3000;
        Optional<Path> data = Optional.empty();
        Path template = Path.of("template.yaml");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (arg) {
                case "--port" -> port = parsePort(value);
                case "--data" -> data = Optional.of(Path.of(require(arg, value)).toAbsolutePath());
                case "--template" -> template = Path.of(require(arg, value));
                case "-h", "--help" -> {
                    usage(System.out);
                    return;
                }
                default -> {
                    System.err.println("unknown option " + arg);
                    usage(System.err);
                    System.exit(2);
                }
            }
            if (!arg.startsWith("-h")) {
                i++;
            }
        }
        if (!Files.isRegularFile(template)) {
            System.err.println("template not found: " + template.toAbsolutePath());
            System.exit(2);
        }
        LocalCloud cloud;
        try {
            cloud = start(new Options(template, port, data));
        } catch (RuntimeException e) {
            System.err.println("the local cloud did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping the local cloud");
            cloud.close();
        }, "local-cloud-shutdown"));
        cloud.printBanner(System.out);
    }

    private static int parsePort(String value) {
        try {
            int port = Integer.parseInt(require("--port", value));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            System.err.println("--port takes a port number from 0 to 65535");
            System.exit(2);
            return -1;
        }
    }

    private static String require(String option, String value) {
        if (value == null || value.startsWith("--")) {
            System.err.println(option + " needs a value");
            System.exit(2);
        }
        return value;
    }

    private static void usage(PrintStream out) {
        out.println("usage: infrastructure/local/run [--port N (default 3000)] [--data DIR (default: in memory)]");
    }
}
