package run.creativeai.local.services;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.random.RandomGenerator;

/**
 * The AWS-compatible services and the outside world the gateway talks to, all on loopback in this
 * JVM: DynamoDB Local, ElasticMQ, a Secrets Manager endpoint, simulated GPU providers and a webhook
 * receiver. DynamoDB Local and ElasticMQ start side by side; state is in memory unless a data
 * directory is given.
 */
public final class LocalServices implements AutoCloseable {
    private final EmbeddedDynamoDb dynamoDb;
    private final EmbeddedSqs sqs;
    private final HttpServer http;
    private final ExecutorService httpThreads;
    private final LocalSecretsManager secretsManager;
    private final SimulatedProviders providers;
    private final WebhookReceiver webhooks;
    private final Map<String, String> tenantSecrets = new ConcurrentHashMap<>();

    private LocalServices(EmbeddedDynamoDb dynamoDb, EmbeddedSqs sqs, Optional<Path> dataDir, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.sqs = sqs;
        this.secretsManager = new LocalSecretsManager(dataDir);
        this.providers = new SimulatedProviders(clock, RandomGenerator.getDefault(), "/providers");
        this.webhooks = new WebhookReceiver(clock, "/webhooks", () -> Map.copyOf(tenantSecrets));
        try {
            this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.httpThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "local-services-http");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(httpThreads);
        http.createContext("/secretsmanager", secretsManager);
        http.createContext("/providers", providers);
        http.createContext("/webhooks", webhooks);
        http.start();
        providers.baseUrl(base());
    }

    public static LocalServices start(Optional<Path> dataDir, Clock clock) {
        CompletableFuture<EmbeddedDynamoDb> dynamo = CompletableFuture.supplyAsync(() -> EmbeddedDynamoDb.start(dataDir));
        CompletableFuture<EmbeddedSqs> sqs = CompletableFuture.supplyAsync(() -> EmbeddedSqs.start(dataDir));
        return new LocalServices(dynamo.join(), sqs.join(), dataDir, clock);
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/");
    }

    public URI dynamoDbEndpoint() {
        return dynamoDb.endpoint();
    }

    public URI sqsEndpoint() {
        return sqs.endpoint();
    }

    public URI secretsManagerEndpoint() {
        return base().resolve("secretsmanager");
    }

    /** Base URL of the webhook receiver; POST to anything below it. */
    public URI webhookReceiverUrl() {
        return base().resolve("webhooks");
    }

    public LocalSecretsManager secretsManager() {
        return secretsManager;
    }

    public SimulatedProviders providers() {
        return providers;
    }

    public WebhookReceiver webhooks() {
        return webhooks;
    }

    /** Lets the webhook receiver tell which tenant signed a delivery. */
    public void knowTenantSecret(String tenant, String signingSecret) {
        tenantSecrets.put(tenant, signingSecret);
    }

    /** The environment variables that point the AWS SDK at these services. */
    public Map<String, String> awsEnvironment() {
        return Map.of(
                "AWS_REGION", EmbeddedSqs.REGION,
                "AWS_ACCESS_KEY_ID", "local",
                "AWS_SECRET_ACCESS_KEY", "local",
                "AWS_ENDPOINT_URL_DYNAMODB", dynamoDbEndpoint().toString(),
                "AWS_ENDPOINT_URL_SQS", sqsEndpoint().toString(),
                "AWS_ENDPOINT_URL_SECRETS_MANAGER", secretsManagerEndpoint().toString());
    }

    @Override
    public void close() {
        http.stop(0);
        httpThreads.shutdownNow();
        sqs.close();
        dynamoDb.close();
    }
}
