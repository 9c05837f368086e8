package run.creativeai.local.services;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.elasticmq.server.ElasticMQServer;
import org.elasticmq.server.config.ElasticMQServerConfig;
import scala.Function0;

/**
 * ElasticMQ, an SQS-compatible server, in this JVM on a loopback port. With a data directory its
 * queues and messages are kept in an H2 database there, so a restart loses nothing in flight.
 *
 * <p>It stops only when {@link #close()} says so. Left to themselves, its actor system and H2 each
 * stop from a JVM shutdown hook of their own, in parallel with the local cloud's orderly stop and
 * so before the functions still running have finished: messages they send then fail ("Database is
 * already closed", "The state may be inconsistent") and are lost.
 */
public final class EmbeddedSqs implements AutoCloseable {
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "000000000000";

    static {
        // Read by the actor system ElasticMQ makes from the default configuration, so set before it exists.
        System.setProperty("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off");
        ConfigFactory.invalidateCaches();
    }

    private final Function0<?> shutdown;
    private final URI endpoint;
    private final Optional<String> database;

    private EmbeddedSqs(Function0<?> shutdown, int port, Optional<String> database) {
        this.shutdown = shutdown;
        this.endpoint = URI.create("http://127.0.0.1:" + port);
        this.database = database;
    }

    public static EmbeddedSqs start(Optional<Path> dataDir) {
        int port = FreePort.pick();
        StringBuilder conf = new StringBuilder()
                .append("node-address { protocol = http, host = \"127.0.0.1\", port = ").append(port).append(" }\n")
                .append("rest-sqs { enabled = true, bind-port = ").append(port)
                .append(", bind-hostname = \"127.0.0.1\", sqs-limits = strict }\n")
                .append("aws { region = \"").append(REGION).append("\", accountId = \"").append(ACCOUNT).append("\" }\n");
        Optional<String> database = Optional.empty();
        if (dataDir.isPresent()) {
            try {
                Path dir = Files.createDirectories(dataDir.get().resolve("sqs"));
                database = Optional.of("jdbc:h2:" + dir.resolve("elasticmq").toAbsolutePath().toString().replace("\\", "/")
                        + ";DB_CLOSE_ON_EXIT=FALSE");
                conf.append("messages-storage { enabled = true, uri = \"").append(database.get()).append("\" }\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Config config = ConfigFactory.parseString(conf.toString()).withFallback(ConfigFactory.load());
        Function0<?> shutdown = new ElasticMQServer(new ElasticMQServerConfig(config)).start();
        try {
            ServiceProbe.awaitAnswer("ElasticMQ", URI.create("http://127.0.0.1:" + port), "AmazonSQS.ListQueues",
                    "application/x-amz-json-1.0");
        } catch (RuntimeException e) {
            shutdown.apply();
            throw e;
        }
        return new EmbeddedSqs(shutdown, port, database);
    }

    public URI endpoint() {
        return endpoint;
    }

    /** The ARN of a queue, in the form the runtime and the SDK see. */
    public static String arn(String queueName) {
        return "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":" + queueName;
    }

    /** Stops the server, then writes every message its database holds to disk. */
    @Override
    public void close() {
        shutdown.apply();
        database.ifPresent(EmbeddedSqs::flush);
    }

    /**
     * Makes the database durable as it stands without closing it: ElasticMQ opens its connection
     * pool once per JVM, so an ElasticMQ started again in this JVM on the same data uses it still.
     */
    private static void flush(String url) {
        try (Connection connection = DriverManager.getConnection(url, "", "");
                Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT SYNC");
        } catch (SQLException e) {
            throw new IllegalStateException("ElasticMQ's message store could not be written to disk", e);
        }
    }
}
