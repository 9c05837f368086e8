package run.creativeai.gateway.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.media.RemoteImages;
import run.creativeai.gateway.testing.FixedResolver;
import run.creativeai.gateway.testing.TestImages;
import run.creativeai.gateway.webhook.WebhookUrlPolicy;

/**
 * Copying an image from a customer's URL, against a server on 127.0.0.1: the size cap, the deadline,
 * no redirects. Production's policy is exercised with an injected resolver, so every address it would
 * refuse is refused before a socket is opened and nothing connects anywhere but loopback.
 */
class HttpRemoteImagesTest {
    private static final byte[] PNG = TestImages.png(64, 64);
    private static final CountDownLatch RELEASE = new CountDownLatch(1);
    private static final AtomicInteger REQUESTS = new AtomicInteger();
    private static HttpServer server;
    private static String base;

    @BeforeAll
    static void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/cat.png", exchange -> {
            REQUESTS.incrementAndGet();
            exchange.sendResponseHeaders(200, PNG.length);
            exchange.getResponseBody().write(PNG);
            exchange.close();
        });
        server.createContext("/huge-declared", exchange -> {
            exchange.sendResponseHeaders(200, 4096);
            exchange.getResponseBody().write(new byte[4096]);
            exchange.close();
        });
        server.createContext("/huge-streamed", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 64; i++) {
                    out.write(new byte[1024]);
                }
            } catch (IOException closedByTheClient) {
                // The client stopped reading at the cap.
            }
            exchange.close();
        });
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().set("Location", base + "/cat.png");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/stalls", exchange -> {
            try {
                RELEASE.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        // A thread per exchange: the stalling one must not hold up the others.
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        RELEASE.countDown();
        server.stop(0);
    }

    private static RemoteImages.Fetch fetch(WebhookUrlPolicy policy, String url, long max, Duration timeout) throws IOException {
        try (HttpRemoteImages images = new HttpRemoteImages(policy)) {
            return images.fetch(URI.create(url), max, timeout);
        }
    }

    @Test
    void anImageIsFetchedWhole() throws IOException {
        RemoteImages.Fetch fetch = fetch(WebhookUrlPolicy.loopbackOnly(), base + "/cat.png", 1024, Duration.ofSeconds(10));
        assertThat(fetch).isInstanceOf(RemoteImages.Fetched.class);
        assertThat(((RemoteImages.Fetched) fetch).bytes()).isEqualTo(PNG);
    }

    @Test
    void aBodyOverTheCapIsRefusedWhetherItsLengthIsDeclaredOrOnlyStreamed() throws IOException {
        assertThat(fetch(WebhookUrlPolicy.loopbackOnly(), base + "/huge-declared", 1024, Duration.ofSeconds(10)))
                .isInstanceOf(RemoteImages.TooLarge.class);
        assertThat(fetch(WebhookUrlPolicy.loopbackOnly(), base + "/huge-streamed", 1024, Duration.ofSeconds(10)))
                .isInstanceOf(RemoteImages.TooLarge.class);
    }

    @Test
    void aRedirectIsNotFollowed() throws IOException {
        int before = REQUESTS.get();
        RemoteImages.Fetch fetch = fetch(WebhookUrlPolicy.loopbackOnly(), base + "/moved", 1024, Duration.ofSeconds(10));
        assertThat(fetch).isInstanceOf(RemoteImages.Failed.class);
        assertThat(((RemoteImages.Failed) fetch).why()).contains("HTTP 302");
        assertThat(REQUESTS.get()).isEqualTo(before);
    }

    @Test
    void aServerThatStallsIsGivenUpOnAtTheDeadline() throws IOException {
        RemoteImages.Fetch fetch = fetch(WebhookUrlPolicy.loopbackOnly(), base + "/stalls", 1024, Duration.ofSeconds(1));
        assertThat(fetch).isInstanceOf(RemoteImages.Failed.class);
        assertThat(((RemoteImages.Failed) fetch).why()).contains("within 1 s");
    }

    @Test
    void productionRefusesInsideAddressesAndPlainHttpBeforeConnecting() throws IOException {
        WebhookUrlPolicy production = WebhookUrlPolicy.publicInternet(new FixedResolver()
                .answer("images.example.com", "10.1.2.3")
                .answer("rebinding.example.com", "93.184.215.14", "127.0.0.1"));
        assertThat(fetch(production, "https://images.example.com/cat.png", 1024, Duration.ofSeconds(1)))
                .isInstanceOf(RemoteImages.Refused.class);
        assertThat(fetch(production, "https://rebinding.example.com/cat.png", 1024, Duration.ofSeconds(1)))
                .isInstanceOf(RemoteImages.Refused.class);
        assertThat(fetch(production, "https://169.254.169.254/latest/meta-data", 1024, Duration.ofSeconds(1)))
                .isInstanceOf(RemoteImages.Refused.class);
        RemoteImages.Fetch http = fetch(production, "http://images.example.com/cat.png", 1024, Duration.ofSeconds(1));
        assertThat(http).isInstanceOf(RemoteImages.Refused.class);
        assertThat(((RemoteImages.Refused) http).why()).isEqualTo("must use https");
    }
}
