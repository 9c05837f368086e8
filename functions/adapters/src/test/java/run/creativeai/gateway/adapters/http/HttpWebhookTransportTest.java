package run.creativeai.gateway.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.adapters.AwsServices;
import run.creativeai.gateway.testing.FixedResolver;
import run.creativeai.gateway.testing.MutableClock;
import run.creativeai.gateway.webhook.WebhookTransport;
import run.creativeai.gateway.webhook.WebhookUrlPolicy;
import run.creativeai.local.services.WebhookReceiver;

/**
 * The webhook HTTP client against the local webhook receiver on loopback. Production's policy is
 * exercised with an injected resolver: every address it would refuse is refused before a socket is
 * opened, so nothing here connects anywhere but 127.0.0.1.
 */
@ExtendWith(AwsServices.class)
class HttpWebhookTransportTest {
    private static final byte[] BODY = "{\"event_id\":\"evt_1\",\"prompt\":\"caf\u00e9\"}".getBytes(StandardCharsets.UTF_8);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static WebhookReceiver receiver;
    private static URI base;

    @BeforeAll
    static void setUp(AwsServices.Running aws) {
        receiver = aws.services().webhooks();
        base = aws.services().webhooksUrl();
    }

    private static String path() {
        return "/transport-" + UUID.randomUUID();
    }

    @Test
    void theExactBytesAndHeadersArriveAndTheStatusIsReported() throws Exception {
        String path = path();
        try (HttpWebhookTransport transport = new HttpWebhookTransport(WebhookUrlPolicy.loopbackOnly(), Clock.systemUTC())) {
            WebhookTransport.Response response = transport.post(URI.create(base + path),
                    Map.of("Content-Type", "application/json", "webhook-id", "evt_1"), BODY, TIMEOUT);
            assertThat(response.statusCode()).contains(200);
            assertThat(response.error()).isEmpty();
        }
        WebhookReceiver.Delivery delivery = receiver.deliveries(path).get(0);
        assertThat(delivery.body()).isEqualTo(BODY);
        assertThat(delivery.header("webhook-id")).isEqualTo("evt_1");
        assertThat(delivery.header("content-type")).isEqualTo("application/json");
    }

    @Test
    void aNonSuccessStatusIsAnAnswerNotAnError() throws Exception {
        String path = path();
        receiver.respond(path, 503, Duration.ZERO);
        try (HttpWebhookTransport transport = new HttpWebhookTransport(WebhookUrlPolicy.loopbackOnly(), Clock.systemUTC())) {
            assertThat(transport.post(URI.create(base + path), Map.of(), BODY, TIMEOUT).statusCode()).contains(503);
        }
    }

    @Test
    void theLoopbackNameLocalhostIsResolvedWithoutALookupAndDelivered() throws Exception {
        String path = path();
        URI url = URI.create(base.toString().replace("127.0.0.1", "localhost") + path);
        try (HttpWebhookTransport transport = new HttpWebhookTransport(WebhookUrlPolicy.loopbackOnly(), Clock.systemUTC())) {
            assertThat(transport.post(url, Map.of(), BODY, TIMEOUT).statusCode()).contains(200);
        }
        assertThat(receiver.deliveries(path)).hasSize(1);
    }

    @Test
    void inProductionANameThatResolvesToLoopbackIsRefusedBeforeAnyConnection() throws Exception {
        String path = path();
        FixedResolver dns = new FixedResolver().answer("hooks.example.test", "127.0.0.1");
        URI url = URI.create(base.toString().replace("http://127.0.0.1", "https://hooks.example.test") + path);
        try (HttpWebhookTransport transport = new HttpWebhookTransport(WebhookUrlPolicy.publicInternet(dns),
                Clock.systemUTC())) {
            WebhookTransport.Response response = transport.post(url, Map.of(), BODY, TIMEOUT);
            assertThat(response.statusCode()).isEmpty();
            assertThat(response.error()).contains("refused: host hooks.example.test resolves to a loopback address");
        }
        assertThat(dns.asked()).contains("hooks.example.test");
        assertThat(receiver.deliveries(path)).as("nothing reached the endpoint").isEmpty();
    }

    @Test
    void inProductionAPrivateOrMetadataAddressIsRefusedBeforeAnyConnection() throws Exception {
        FixedResolver dns = new FixedResolver().answer("metadata.example.test", "169.254.169.254")
                .answer("internal.example.test", "10.0.0.8");
        try (HttpWebhookTransport transport = new HttpWebhookTransport(WebhookUrlPolicy.publicInternet(dns),
                Clock.systemUTC())) {
            assertThat(transport.post(URI.create("https://metadata.example.test/latest"), Map.of(), BODY, TIMEOUT).error())
                    .hasValueSatisfying(e -> assertThat(e).startsWith("refused: host metadata.example.test resolves to a private"));
            assertThat(transport.post(URI.create("https://internal.example.test/h"), Map.of(), BODY, TIMEOUT).error())
                    .hasValueSatisfying(e -> assertThat(e).startsWith("refused:"));
            assertThat(transport.post(URI.create("https://10.0.0.8/h"), Map.of(), BODY, TIMEOUT).error())
                    .hasValueSatisfying(e -> assertThat(e).startsWith("refused: must not point at a private"));
            assertThat(transport.post(URI.create("https://unknown.example.test/h"), Map.of(), BODY, TIMEOUT).error())
                    .contains("refused: host unknown.example.test could not be resolved");
        }
    }

    @Test
    void aUrlWhosePortIsOutOfRangeIsAFailedAttemptNotAnException() throws Exception {
        try (HttpWebhookTransport transport = new HttpWebhookTransport(WebhookUrlPolicy.loopbackOnly(), Clock.systemUTC())) {
            for (String url : new String[] {"http://127.0.0.1:99999/x", "http://127.0.0.1:0/x"}) {
                WebhookTransport.Response response = transport.post(URI.create(url), Map.of(), BODY, TIMEOUT);
                assertThat(response.statusCode()).as(url).isEmpty();
                assertThat(response.error()).as(url).hasValueSatisfying(e -> assertThat(e)
                        .startsWith("refused: ").contains("port"));
            }
        }
    }

    @Test
    void anEndpointSlowerThanTheTimeoutIsAbandonedBeforeItAnswers() throws Exception {
        String path = path();
        // The receiver records a POST only once it has answered, after this delay.
        receiver.respond(path, 200, Duration.ofSeconds(10));
        MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
        try (HttpWebhookTransport transport = new HttpWebhookTransport(WebhookUrlPolicy.loopbackOnly(), clock)) {
            WebhookTransport.Response response = transport.post(URI.create(base + path), Map.of(), BODY,
                    Duration.ofSeconds(1));
            assertThat(response.statusCode()).isEmpty();
            assertThat(response.error()).contains("timed out after 1 s");
            assertThat(response.took()).as("measured on the injected clock, which did not move").isZero();
        }
        assertThat(receiver.deliveries(path)).as("the attempt ended before the endpoint answered").isEmpty();
    }

    @Test
    void aRefusedConnectionIsReportedInWordsNotAsALibraryClassName() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (HttpWebhookTransport transport = new HttpWebhookTransport(WebhookUrlPolicy.loopbackOnly(), Clock.systemUTC())) {
            WebhookTransport.Response response = transport.post(URI.create("http://127.0.0.1:" + closedPort + "/h"),
                    Map.of(), BODY, TIMEOUT);
            assertThat(response.statusCode()).isEmpty();
            assertThat(response.error()).contains("connection refused");
        }
    }

    @Test
    void anEndpointThatHangsUpWithoutAnsweringIsReportedInWords() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                HttpWebhookTransport transport = new HttpWebhookTransport(WebhookUrlPolicy.loopbackOnly(),
                        Clock.systemUTC())) {
            Thread hangUp = new Thread(() -> {
                try (Socket accepted = socket.accept()) {
                    accepted.getInputStream().read();
                } catch (IOException ignored) {
                    // The test's assertion says what the client saw.
                }
            });
            hangUp.start();
            WebhookTransport.Response response = transport.post(
                    URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/h"), Map.of(), BODY, TIMEOUT);
            hangUp.join();
            assertThat(response.statusCode()).isEmpty();
            assertThat(response.error()).contains("the endpoint closed the connection without answering");
        }
    }
}
