package run.creativeai.gateway.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.testing.LocalhostCertificate;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * The functions' shared HTTP client renewed, as a priming does before a snapshot: against an HTTPS
 * server on loopback that records the client port of every request it serves, calls go on one kept
 * connection until the client is renewed, and from then on never on a connection from before.
 */
class RenewableHttpClientTest {
    private final List<Integer> clientPorts = new CopyOnWriteArrayList<>();
    private HttpsServer server;
    private RenewableHttpClient http;

    @BeforeEach
    void start() throws Exception {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(LocalhostCertificate.serverContext()));
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            clientPorts.add(exchange.getRemoteAddress().getPort());
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        // As AwsClients builds it, trusting the test's certificate instead of the JDK's authorities.
        http = new RenewableHttpClient(() -> new SmallPostsBuffered(UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(5))
                .tlsTrustManagersProvider(LocalhostCertificate::trustManagers).build()));
    }

    @AfterEach
    void stop() {
        http.close();
        server.stop(0);
    }

    @Test
    void afterARenewalNoCallTakesAConnectionFromBefore() throws Exception {
        post();
        post();
        assertThat(clientPorts).as("the JDK kept the first connection and the second call took it").hasSize(2)
                .containsOnly(clientPorts.get(0));

        http.renew();
        post();
        post();

        assertThat(clientPorts.get(2)).as("the first call after the renewal opened a connection of its own")
                .isNotEqualTo(clientPorts.get(0));
        assertThat(clientPorts.get(3)).as("and the renewed client keeps its connections in turn")
                .isEqualTo(clientPorts.get(2));
    }

    /** A small POST, as an SDK call makes it; its answer read to the end, so the JDK keeps the connection. */
    private void post() throws Exception {
        byte[] body = "{\"TableName\":\"jobs\"}".getBytes(StandardCharsets.UTF_8);
        HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
                .request(SdkHttpRequest.builder().method(SdkHttpMethod.POST)
                        .uri(URI.create("https://localhost:" + server.getAddress().getPort() + "/"))
                        .putHeader("Content-Type", "application/x-amz-json-1.0")
                        .putHeader("Content-Length", String.valueOf(body.length)).build())
                .contentStreamProvider(() -> new ByteArrayInputStream(body)).build()).call();
        assertThat(response.httpResponse().statusCode()).isEqualTo(200);
        try (InputStream in = response.responseBody().orElseThrow()) {
            in.readAllBytes();
        }
    }
}
