package run.creativeai.gateway.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The HTTP client every AWS client of a function shares, against a server on loopback that records
 * what reaches it: an SDK call's small POST is buffered and still arrives as the SDK signed it, a
 * POST after the server closed the connection the client kept reaches it once, on a new connection,
 * and what is large or not a POST goes through as the SDK built it.
 */
class SmallPostsBufferedTest {
    private final SdkHttpClient http = new SmallPostsBuffered(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(5)).build());
    private RecordingServer server;

    @AfterEach
    void stop() throws IOException {
        http.close();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aDynamoDbCallArrivesWithItsBodyAndTheLengthItsSignatureCovers() throws Exception {
        server = new RecordingServer(false);
        try (DynamoDbClient dynamo = DynamoDbClient.builder().region(Region.EU_WEST_1).httpClient(http)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
                .endpointOverride(server.uri()).build()) {
            dynamo.getItem(b -> b.tableName("jobs").key(Map.of("pk", AttributeValue.fromS("gen_1"))));
        }

        Received received = server.received.get(0);
        assertThat(received.method()).isEqualTo("POST");
        assertThat(new String(received.body(), StandardCharsets.UTF_8)).isEqualTo("{\"TableName\":\"jobs\",\"Key\":{\"pk\":{\"S\":\"gen_1\"}}}");
        assertThat(received.headers().get("authorization")).contains("SignedHeaders=").contains("content-length;");
        assertThat(received.headers()).containsEntry("content-length", Integer.toString(received.body().length))
                .containsEntry("x-amz-target", "DynamoDB_20120810.GetItem")
                .doesNotContainKey("transfer-encoding");
    }

    @Test
    void aPostAfterTheServerClosedTheConnectionItKeptReachesItOnceOnANewOne() throws Exception {
        // The server answers each request, then closes the connection the client keeps for the next one,
        // as an endpoint does with a connection left idle while a Lambda instance was frozen.
        server = new RecordingServer(true);
        byte[] first = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] second = "{\"n\":2}".getBytes(StandardCharsets.UTF_8);

        assertThat(send(post(first, Map.of()))).isEqualTo(200);
        assertThat(send(post(second, Map.of()))).isEqualTo(200);

        assertThat(server.received).extracting(r -> new String(r.body(), StandardCharsets.UTF_8))
                .containsExactly("{\"n\":1}", "{\"n\":2}");
        assertThat(server.connections()).isEqualTo(2);
    }

    @Test
    void aPostLargerThanItBuffersAndEveryPutGoThroughAsTheSdkBuiltThem() throws Exception {
        server = new RecordingServer(false);
        byte[] large = new byte[(int) SmallPostsBuffered.LARGEST_BUFFERED + 1];
        Arrays.fill(large, (byte) 'x');
        byte[] part = "part of an output".getBytes(StandardCharsets.UTF_8);
        HttpExecuteRequest largePost = post(large, Map.of());
        HttpExecuteRequest put = request(SdkHttpMethod.PUT, part, Map.of());

        assertThat(SmallPostsBuffered.buffered(largePost)).isFalse();
        assertThat(SmallPostsBuffered.buffered(put)).isFalse();
        assertThat(SmallPostsBuffered.buffered(post(part, Map.of()))).isTrue();
        send(largePost);
        send(put);

        assertThat(server.received).extracting(Received::method).containsExactly("POST", "PUT");
        assertThat(server.received.get(0).body()).isEqualTo(large);
        assertThat(server.received.get(0).headers()).containsEntry("content-length", Integer.toString(large.length));
        assertThat(server.received.get(1).body()).isEqualTo(part);
    }

    private int send(HttpExecuteRequest request) throws IOException {
        return http.prepareRequest(request).call().httpResponse().statusCode();
    }

    private HttpExecuteRequest post(byte[] body, Map<String, String> headers) {
        return request(SdkHttpMethod.POST, body, headers);
    }

    private HttpExecuteRequest request(SdkHttpMethod method, byte[] body, Map<String, String> headers) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(method).uri(server.uri())
                .putHeader("Content-Length", Integer.toString(body.length))
                .putHeader("Content-Type", "application/x-amz-json-1.0");
        headers.forEach(request::putHeader);
        return HttpExecuteRequest.builder().request(request.build()).contentStreamProvider(ContentStreamProvider.fromByteArray(body))
                .build();
    }

    record Received(String method, Map<String, String> headers, byte[] body) {
    }

    /** An HTTP/1.1 server on loopback that answers every request with an empty JSON object, keeping the connection unless told to close it. */
    private static final class RecordingServer implements AutoCloseable {
        final List<Received> received = new CopyOnWriteArrayList<>();
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final ServerSocket socket;
        private final boolean closeAfterEach;

        RecordingServer(boolean closeAfterEach) throws IOException {
            this.closeAfterEach = closeAfterEach;
            this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::accept, "recording-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
        }

        int connections() {
            return accepted.size();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    accepted.add(connection);
                    Thread serving = new Thread(() -> serve(connection), "recording-connection");
                    serving.setDaemon(true);
                    serving.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket connection) {
            try (connection) {
                InputStream in = new BufferedInputStream(connection.getInputStream());
                OutputStream out = connection.getOutputStream();
                while (true) {
                    String requestLine = line(in);
                    if (requestLine == null) {
                        return;
                    }
                    Map<String, String> headers = new TreeMap<>();
                    for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                        int colon = header.indexOf(':');
                        headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
                    }
                    byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
                    received.add(new Received(requestLine.substring(0, requestLine.indexOf(' ')), headers, body));
                    out.write("HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: 2\r\n\r\n{}"
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    if (closeAfterEach) {
                        return;
                    }
                }
            } catch (IOException e) {
                // The client went away: nothing more to record from this connection.
            }
        }

        /** A line without its CRLF, or null at the end of the stream. */
        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                if (b != '\r') {
                    line.write(b);
                }
            }
            return b == -1 && line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket connection : accepted) {
                connection.close();
            }
        }
    }
}
