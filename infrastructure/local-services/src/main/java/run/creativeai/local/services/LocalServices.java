package run.creativeai.local.services;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Everything the gateway talks to, on this machine: the AWS services ({@link AwsBackend}) and the
 * outside world, simulated GPU providers and a customer's webhook receiver, on a loopback port.
 */
public final class LocalServices implements AutoCloseable {
    private final AwsBackend aws;
    private final HttpServer http;
    private final ExecutorService httpThreads;
    private final SimulatedProviders providers;
    private final WebhookReceiver webhooks;
    private volatile Supplier<Map<String, String>> tenantSecrets = Map::of;

    private LocalServices(AwsBackend aws, Clock clock) {
        this.aws = aws;
        this.providers = new SimulatedProviders(clock, RandomGenerator.getDefault(), "/providers");
        this.webhooks = new WebhookReceiver(clock, () -> tenantSecrets.get());
        try {
            this.http = LoopbackHttpServers.create(0, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.httpThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "local-services-http");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(httpThreads);
        http.createContext("/providers", providers);
        http.createContext("/webhooks", webhooks);
        http.start();
        providers.baseUrl(URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/"));
    }

    /** Starts the backend the {@code gateway.aws.backend} property selects (embedded unless told otherwise). */
    public static LocalServices start(Optional<Path> dataDir, Clock clock) {
        return new LocalServices(AwsBackend.selected(dataDir), clock);
    }

    public static LocalServices start(AwsBackend aws, Clock clock) {
        return new LocalServices(aws, clock);
    }

    public AwsBackend aws() {
        return aws;
    }

    public URI dynamoDbEndpoint() {
        return aws.dynamoDbEndpoint();
    }

    public URI sqsEndpoint() {
        return aws.sqsEndpoint();
    }

    public URI secretsManagerEndpoint() {
        return aws.secretsManagerEndpoint();
    }

    public URI s3Endpoint() {
        return aws.s3Endpoint();
    }

    /** Base URL of the webhook receiver; POST to anything below it. */
    public URI webhookReceiverUrl() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/webhooks");
    }

    public SimulatedProviders providers() {
        return providers;
    }

    public WebhookReceiver webhooks() {
        return webhooks;
    }

    /** Where the webhook receiver listens: POSTs below this URL are recorded under their path. */
    public URI webhooksUrl() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/webhooks");
    }

    /**
     * Where the webhook receiver reads every tenant's current signing secret (tenant id to
     * {@code whsec_} secret), to tell which tenant signed a delivery.
     */
    public void readTenantSecretsFrom(Supplier<Map<String, String>> source) {
        this.tenantSecrets = source;
    }

    /** The environment variables that point the AWS SDK at the AWS services. */
    public Map<String, String> awsEnvironment() {
        return aws.environment();
    }

    @Override
    public void close() {
        providers.close();
        http.stop(0);
        httpThreads.shutdownNow();
        aws.close();
    }
}
