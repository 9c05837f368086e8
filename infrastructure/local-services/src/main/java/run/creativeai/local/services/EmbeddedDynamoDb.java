package run.creativeai.local.services;

import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * DynamoDB Local, in this JVM: in memory, or in {@code <data>/dynamodb} when a data directory is
 * given. Its own launcher listens on every interface and reports telemetry to AWS, so the server is
 * assembled here instead: the same request handler behind a Jetty connector bound to 127.0.0.1,
 * and telemetry never configured, so nothing leaves the machine.
 */
public final class EmbeddedDynamoDb implements AutoCloseable {
    private final Server server;
    private final LocalDynamoDBServerHandler handler;
    private final URI endpoint;

    private EmbeddedDynamoDb(Server server, LocalDynamoDBServerHandler handler, int port) {
        this.server = server;
        this.handler = handler;
        this.endpoint = URI.create("http://127.0.0.1:" + port);
    }

    public static EmbeddedDynamoDb start(Optional<Path> dataDir) {
        try {
            String dbPath = null;
            if (dataDir.isPresent()) {
                dbPath = Files.createDirectories(dataDir.get().resolve("dynamodb")).toString();
            }
            LocalDynamoDBServerHandler handler = new LocalDynamoDBServerHandler(
                    new LocalDynamoDBRequestHandler(0, dataDir.isEmpty(), dbPath, true, false), "*");
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            // DynamoDBProxyServer only lends its handler set-up here; its own server is never started.
            server.setHandler(new DynamoDBProxyServer(0, handler).setUpHandler(handler));
            server.start();
            EmbeddedDynamoDb dynamo = new EmbeddedDynamoDb(server, handler, connector.getLocalPort());
            try {
                ServiceProbe.awaitAnswer("DynamoDB Local", dynamo.endpoint, "DynamoDB_20120810.ListTables",
                        "application/x-amz-json-1.0");
            } catch (RuntimeException e) {
                dynamo.close();
                throw e;
            }
            return dynamo;
        } catch (IllegalStateException e) {
            throw e;
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
            // Releases the database files, so a restart on the same data directory can open them.
            handler.close();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not stop", e);
        }
    }
}
