package run.creativeai.local.services;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * DynamoDB Local, ElasticMQ, s3proxy and the local Secrets Manager endpoint, in this JVM on loopback
 * ports. DynamoDB Local, ElasticMQ and s3proxy start side by side (the first two take about a second
 * and a half each).
 */
public final class EmbeddedAws implements AwsBackend {
    private final EmbeddedDynamoDb dynamoDb;
    private final EmbeddedSqs sqs;
    private final EmbeddedS3 s3;
    private final HttpServer secretsServer;
    private final ExecutorService secretsThreads;

    private EmbeddedAws(EmbeddedDynamoDb dynamoDb, EmbeddedSqs sqs, EmbeddedS3 s3, Optional<Path> dataDir) {
        this.dynamoDb = dynamoDb;
        this.sqs = sqs;
        this.s3 = s3;
        try {
            this.secretsServer = LoopbackHttpServers.create(0, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.secretsThreads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "secrets-manager");
            t.setDaemon(true);
            return t;
        });
        secretsServer.setExecutor(secretsThreads);
        secretsServer.createContext("/", new LocalSecretsManager(dataDir));
        secretsServer.start();
    }

    public static EmbeddedAws start(Optional<Path> dataDir) {
        CompletableFuture<EmbeddedDynamoDb> dynamo = CompletableFuture.supplyAsync(() -> EmbeddedDynamoDb.start(dataDir));
        CompletableFuture<EmbeddedSqs> queues = CompletableFuture.supplyAsync(() -> EmbeddedSqs.start(dataDir));
        CompletableFuture<EmbeddedS3> objects = CompletableFuture.supplyAsync(() -> EmbeddedS3.start(dataDir));
        try {
            return new EmbeddedAws(dynamo.join(), queues.join(), objects.join(), dataDir);
        } catch (java.util.concurrent.CompletionException e) {
            dynamo.thenAccept(EmbeddedDynamoDb::close);
            queues.thenAccept(EmbeddedSqs::close);
            objects.thenAccept(EmbeddedS3::close);
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    @Override
    public URI dynamoDbEndpoint() {
        return dynamoDb.endpoint();
    }

    @Override
    public URI sqsEndpoint() {
        return sqs.endpoint();
    }

    @Override
    public URI secretsManagerEndpoint() {
        return URI.create("http://127.0.0.1:" + secretsServer.getAddress().getPort());
    }

    @Override
    public URI s3Endpoint() {
        return s3.endpoint();
    }

    @Override
    public String region() {
        return EmbeddedSqs.REGION;
    }

    @Override
    public String account() {
        return EmbeddedSqs.ACCOUNT;
    }

    @Override
    public String description() {
        return "embedded (DynamoDB Local, ElasticMQ, s3proxy, local Secrets Manager endpoint)";
    }

    @Override
    public void close() {
        secretsServer.stop(0);
        secretsThreads.shutdownNow();
        sqs.close();
        s3.close();
        dynamoDb.close();
    }
}
