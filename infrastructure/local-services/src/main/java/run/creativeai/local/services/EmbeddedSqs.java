package run.creativeai.local.services;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.elasticmq.server.ElasticMQServer;
import org.elasticmq.server.config.ElasticMQServerConfig;
import scala.Function0;

/**
 * ElasticMQ, an SQS-compatible server, in this JVM on a loopback port. With a data directory its
 * queues and messages are kept in an H2 database there, so a restart loses nothing in flight.
 */
public final class EmbeddedSqs implements AutoCloseable {
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "000000000000";

    private final Function0<?> shutdown;
    private final URI endpoint;

    private EmbeddedSqs(Function0<?> shutdown, int port) {
        this.shutdown = shutdown;
        this.endpoint = URI.create("http://127.0.0.1:" + port);
    }

    public static EmbeddedSqs start(Optional<Path> dataDir) {
        int port = FreePort.pick();
        StringBuilder conf = new StringBuilder()
                .append("node-address { protocol = http, host = \"127.0.0.1\", port = ").append(port).append(" }\n")
                .append("rest-sqs { enabled = true, bind-port = ").append(port)
                .append(", bind-hostname = \"127.0.0.1\", sqs-limits = strict }\n")
                .append("aws { region = \"").append(REGION).append("\", accountId = \"").append(ACCOUNT).append("\" }\n");
        if (dataDir.isPresent()) {
            try {
                Path dir = Files.createDirectories(dataDir.get().resolve("sqs"));
                conf.append("messages-storage { enabled = true, uri = \"jdbc:h2:")
                        .append(dir.resolve("elasticmq").toAbsolutePath().toString().replace("\\", "/"))
                        .append("\" }\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Config config = ConfigFactory.parseString(conf.toString()).withFallback(ConfigFactory.load());
        Function0<?> shutdown = new ElasticMQServer(new ElasticMQServerConfig(config)).start();
        try {
            ServiceProbe.awaitAnswer("ElasticMQ", URI.create("http://127.0.0.1:" + port), "AmazonSQS.ListQueues",
                    "application/x-amz-json-1.0", Duration.ofSeconds(20));
        } catch (RuntimeException e) {
            shutdown.apply();
            throw e;
        }
        return new EmbeddedSqs(shutdown, port);
    }

    public URI endpoint() {
        return endpoint;
    }

    /** The ARN of a queue, in the form the runtime and the SDK see. */
    public static String arn(String queueName) {
        return "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":" + queueName;
    }

    @Override
    public void close() {
        shutdown.apply();
    }
}
