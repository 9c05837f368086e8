package run.creativeai.local.services;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.model.ProviderProtocol;

/**
 * The simulated providers' output files: real PNG and MP4 files a person can open, of the size a
 * provider is told to make, served until the provider's output lifetime ends.
 */
class SimulatedProviderFilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        private volatile Instant now = Instant.parse("2026-12-05T10:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    private final HandClock clock = new HandClock();
    private SimulatedProviders providers;
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        providers = new SimulatedProviders(clock, RandomGenerator.getDefault(), "/providers");
        providers.register("sdxl", "key", ProviderProtocol.REPLICATE_PREDICTIONS);
        providers.register("kling", "key", ProviderProtocol.FAL_QUEUE);
        server = LoopbackHttpServers.create(0, 0);
        server.createContext("/providers", providers);
        server.start();
        providers.baseUrl(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"));
        for (String name : List.of("sdxl", "kling")) {
            providers.configure(name, JSON.createObjectNode().put("latency_ms", 1000));
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
        providers.close();
    }

    /** An image job on Replicate's protocol, run to its end; the URL of its first output. */
    private String imageOutput() throws Exception {
        String created = post(providers.url("sdxl") + "/v1/models/o/sdxl/predictions", "Bearer key",
                "{\"input\":{\"prompt\":\"a lighthouse\"}}");
        String self = JSON.readTree(created).path("urls").path("get").asText();
        clock.advance(Duration.ofSeconds(2));
        return get(self, "Bearer key").path("output").get(0).asText();
    }

    /** A video job on fal's queue protocol, run to its end; the URL of its video. */
    private String videoOutput() throws Exception {
        String submitted = post(providers.url("kling") + "/fal-ai/kling-video", "Key key",
                "{\"prompt\":\"waves\",\"duration\":5}");
        String response = JSON.readTree(submitted).path("response_url").asText();
        clock.advance(Duration.ofSeconds(2));
        get(response + "/status", "Key key");
        return get(response, "Key key").path("video").path("url").asText();
    }

    private static String post(String url, String auth, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static JsonNode get(String url, String auth) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private static HttpResponse<byte[]> download(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The top-level boxes of an MP4, as type and size, checking that they tile the file exactly. */
    private static List<String> boxes(byte[] mp4) {
        List<String> types = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.wrap(mp4);
        while (buffer.remaining() >= 8) {
            long size = Integer.toUnsignedLong(buffer.getInt(buffer.position()));
            byte[] type = new byte[4];
            buffer.get(buffer.position() + 4, type);
            types.add(new String(type, StandardCharsets.US_ASCII));
            assertThat(size).as("box size").isGreaterThanOrEqualTo(8).isLessThanOrEqualTo(buffer.remaining());
            buffer.position(buffer.position() + (int) size);
        }
        assertThat(buffer.remaining()).as("boxes end where the file does").isZero();
        return types;
    }

    @Test
    void anImageJobsOutputIsARealPngOfTheSizeTheProviderReports() throws Exception {
        HttpResponse<byte[]> png = download(imageOutput());
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.headers().firstValue("Content-Type")).contains("image/png");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.body()));
        assertThat(image.getWidth()).isEqualTo(1024);
        assertThat(image.getHeight()).isEqualTo(1024);
    }

    @Test
    void aVideoJobsOutputIsARealH264Mp4() throws Exception {
        HttpResponse<byte[]> mp4 = download(videoOutput());
        assertThat(mp4.statusCode()).isEqualTo(200);
        assertThat(mp4.headers().firstValue("Content-Type")).contains("video/mp4");
        assertThat(boxes(mp4.body())).containsExactly("ftyp", "moov", "mdat");
        String text = new String(mp4.body(), StandardCharsets.ISO_8859_1);
        assertThat(text).contains("avc1").contains("avcC");
    }

    @Test
    void aProviderToldAnOutputSizeMakesFilesOfExactlyThatSizeThatStillOpen() throws Exception {
        providers.configure("kling", JSON.createObjectNode().put("output_bytes", 3_000_000));
        providers.configure("sdxl", JSON.createObjectNode().put("output_bytes", 2_000_000));
        byte[] mp4 = download(videoOutput()).body();
        byte[] png = download(imageOutput()).body();

        assertThat(mp4).hasSize(3_000_000);
        assertThat(boxes(mp4)).containsExactly("ftyp", "moov", "mdat", "free");
        assertThat(png).hasSize(2_000_000);
        assertThat(ImageIO.read(new ByteArrayInputStream(png)).getWidth()).as("a PNG reader skips the padding")
                .isEqualTo(1024);
    }

    @Test
    void anOutputIsGoneOnceTheProvidersOutputLifetimeHasPassed() throws Exception {
        providers.configure("sdxl", JSON.createObjectNode().put("output_lifetime_ms", 60_000));
        String url = imageOutput();
        assertThat(download(url).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(61));
        assertThat(download(url).statusCode()).isEqualTo(404);
    }

    @Test
    void noFileIsServedForAJobThatIsNotDoneOrDoesNotExist() throws Exception {
        String created = post(providers.url("sdxl") + "/v1/models/o/sdxl/predictions", "Bearer key",
                "{\"input\":{\"prompt\":\"a lighthouse\"}}");
        String id = JSON.readTree(created).path("id").asText();
        assertThat(download(providers.url("sdxl") + "/files/" + id + "/0.png").statusCode()).isEqualTo(404);
        assertThat(download(providers.url("sdxl") + "/files/nothing/0.png").statusCode()).isEqualTo(404);
    }

    @Test
    void anOutputSizeOrLifetimeThatMakesNoSenseIsRefusedNamingTheSetting() {
        for (String settings : List.of("{\"output_bytes\":-1}", "{\"output_bytes\":\"big\"}",
                "{\"output_lifetime_ms\":-5}")) {
            String field = settings.substring(2, settings.indexOf('"', 2));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> providers.configure("sdxl", JSON.readTree(settings)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(field);
        }
    }
}
