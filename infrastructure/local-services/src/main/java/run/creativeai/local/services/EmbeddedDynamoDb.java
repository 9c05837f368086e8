package run.creativeai.local.services;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * DynamoDB Local, in this JVM, on a loopback port: in memory, or in {@code <data>/dynamodb} when a
 * data directory is given.
 */
public final class EmbeddedDynamoDb implements AutoCloseable {
    private final DynamoDBProxyServer server;
    private final URI endpoint;

    private EmbeddedDynamoDb(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.endpoint = URI.create("http://127.0.0.1:" + port);
    }

    public static EmbeddedDynamoDb start(Optional<Path> dataDir) {
        try {
            int port = FreePort.pick();
            String[] args;
            if (dataDir.isPresent()) {
                Path dir = Files.createDirectories(dataDir.get().resolve("dynamodb"));
                args = new String[] {"-port", Integer.toString(port), "-dbPath", dir.toString(), "-sharedDb"};
            } else {
                args = new String[] {"-inMemory", "-port", Integer.toString(port), "-sharedDb"};
            }
            DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args);
            server.start();
            return new EmbeddedDynamoDb(server, port);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start", e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not stop", e);
        }
    }
}
