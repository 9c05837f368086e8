package run.creativeai.local.runtime;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The event source mappings' SQS client gives up on an attempt SQS never answers and tries again,
 * instead of waiting on the socket: a receive ElasticMQ left unanswered once stalled a queue's poller
 * for more than a minute. Here an endpoint that takes the connection and never answers stands in for it.
 */
class RuntimeSqsClientTest {
    @Test
    void aReceiveThatIsNeverAnsweredEndsAsAnAttemptTimeoutNotASocketWait() throws IOException {
        List<Socket> held = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            URI endpoint = URI.create("http://127.0.0.1:" + silent.getLocalPort());
            try (SqsClient sqs = TemplateRuntime.sqsClient(endpoint, "us-east-1",
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")), Duration.ofMillis(500))) {
                assertThatThrownBy(() -> sqs.receiveMessage(b -> b.queueUrl(endpoint + "/000000000000/work")
                        .waitTimeSeconds(0))).isInstanceOf(ApiCallAttemptTimeoutException.class);
            }
        } finally {
            for (Socket socket : List.copyOf(held)) {
                socket.close();
            }
        }
    }
}
