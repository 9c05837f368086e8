package run.creativeai.gateway.adapters.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import run.creativeai.gateway.adapters.AwsClients;
import run.creativeai.gateway.adapters.AwsServices;
import run.creativeai.gateway.adapters.http.OutputDownloads;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.dispatch.CopyOutcome;
import run.creativeai.gateway.job.Output;
import run.creativeai.gateway.webhook.WebhookUrlPolicy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Copying a provider's file into the outputs bucket, against the local S3 and a file server on
 * loopback: the bytes arrive whole whatever their size relative to a part, with their SHA-256 and
 * size; a file that breaks off or is gone leaves no object; copying again replaces the object.
 */
@ExtendWith(AwsServices.class)
class S3OutputStoreTest {
    private static final int PART = S3OutputStore.PART_SIZE;
    /** Files the server serves, by path: bytes, or a status to answer instead. */
    private static final Map<String, byte[]> FILES = new ConcurrentHashMap<>();
    private static final Map<String, Integer> STATUSES = new ConcurrentHashMap<>();
    /** Paths whose answer declares the full length but breaks off after half the bytes. */
    private static final Map<String, Boolean> BROKEN = new ConcurrentHashMap<>();
    /** Paths whose answer sends half the bytes, then nothing until the test lets it go. */
    private static final Map<String, CountDownLatch> SILENT = new ConcurrentHashMap<>();

    private static HttpServer server;
    private static S3Client s3;
    private static String bucket;
    private static OutputDownloads downloads;
    private static S3OutputStore store;

    @BeforeAll
    static void start(AwsServices.Running aws) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-files");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", S3OutputStoreTest::serve);
        server.start();
        FunctionEnvironment env = aws.environment(Map.of());
        s3 = AwsClients.s3(env);
        bucket = "outputs-" + UUID.randomUUID();
        s3.createBucket(b -> b.bucket(bucket));
        downloads = new OutputDownloads(WebhookUrlPolicy.loopbackOnly(), Duration.ofSeconds(5));
        store = new S3OutputStore(s3, bucket, downloads, Duration.ofSeconds(60), Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws IOException {
        server.stop(0);
        downloads.close();
        s3.close();
    }

    private static void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Integer status = STATUSES.get(path);
            if (status != null) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            byte[] bytes = FILES.get(path);
            exchange.getResponseHeaders().set("Content-Type", path.endsWith(".mp4") ? "video/mp4" : "image/png");
            exchange.sendResponseHeaders(200, bytes.length);
            OutputStream out = exchange.getResponseBody();
            CountDownLatch silence = SILENT.get(path);
            if (silence != null) {
                out.write(bytes, 0, bytes.length / 2);
                out.flush();
                try {
                    silence.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            if (BROKEN.containsKey(path)) {
                out.write(bytes, 0, bytes.length / 2);
                out.flush();
                // Closing the connection mid-body, as a failing file server does.
                throw new IOException("the file server broke off");
            }
            out.write(bytes);
        }
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static byte[] object(String key) {
        ResponseBytes<GetObjectResponse> read = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
        return read.asByteArray();
    }

    private static boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 2048, PART - 1, PART, PART + 1, 2 * PART, 2 * PART + 12_345})
    void theBytesArriveWholeWithTheirSizeAndSha256WhereverTheyEndAgainstAPart(int size) throws Exception {
        byte[] bytes = random(size, size);
        String path = "/files/" + size + ".mp4";
        FILES.put(path, bytes);
        String key = "gen_" + size + "/1/0.mp4";

        CopyOutcome outcome = store.copy(Output.of(url(path), "video/mp4"), key);

        assertThat(outcome).isEqualTo(new CopyOutcome.Copied(size, sha256(bytes), "video/mp4"));
        assertThat(object(key)).isEqualTo(bytes);
        assertThat(s3.headObject(b -> b.bucket(bucket).key(key)).contentType()).isEqualTo("video/mp4");
    }

    @Test
    void copyingTheSameOutputAgainReplacesTheObjectInsteadOfAddingOne() throws Exception {
        byte[] bytes = random(PART + 10, 7);
        FILES.put("/files/again.mp4", bytes);
        String key = "gen_again/1/0.mp4";
        store.copy(Output.of(url("/files/again.mp4"), "video/mp4"), key);
        store.copy(Output.of(url("/files/again.mp4"), "video/mp4"), key);

        assertThat(s3.listObjectsV2(b -> b.bucket(bucket).prefix("gen_again/")).contents()).hasSize(1);
        assertThat(object(key)).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "{0} bytes, broken off half way")
    @ValueSource(ints = {4096, 3 * PART})
    void aDownloadThatBreaksOffMidStreamFailsOnTheProvidersSideAndLeavesNoObject(int size) {
        String path = "/files/broken-" + size + ".mp4";
        FILES.put(path, random(size, 3));
        BROKEN.put(path, true);
        String key = "gen_broken_" + size + "/1/0.mp4";

        CopyOutcome outcome = store.copy(Output.of(url(path), "video/mp4"), key);

        assertThat(outcome).isInstanceOfSatisfying(CopyOutcome.Failed.class,
                f -> assertThat(f.side()).isEqualTo(CopyOutcome.Side.SOURCE));
        assertThat(exists(key)).as("no partial object").isFalse();
        assertThat(s3.listMultipartUploads(b -> b.bucket(bucket).prefix("gen_broken_" + size + "/")).uploads())
                .as("the multipart upload was aborted").isEmpty();
    }

    @Test
    void aFileServerThatFallsSilentMidFileFailsOnTheProvidersSideAfterTheIdleTimeNotTheCopysDeadline()
            throws IOException {
        String path = "/files/silent.mp4";
        FILES.put(path, random(4096, 4));
        CountDownLatch silence = new CountDownLatch(1);
        SILENT.put(path, silence);
        try (OutputDownloads impatient = new OutputDownloads(WebhookUrlPolicy.loopbackOnly(), Duration.ofSeconds(1))) {
            S3OutputStore patient = new S3OutputStore(s3, bucket, impatient, Duration.ofMinutes(2), Clock.systemUTC());

            CopyOutcome outcome = patient.copy(Output.of(url(path), "video/mp4"), "gen_silent/1/0.mp4");

            assertThat(outcome).as("a copy stalled by a silent file server").isInstanceOfSatisfying(
                    CopyOutcome.Failed.class, f -> {
                        assertThat(f.side()).isEqualTo(CopyOutcome.Side.SOURCE);
                        assertThat(f.detail()).contains("SocketTimeoutException");
                    });
            assertThat(exists("gen_silent/1/0.mp4")).as("no partial object").isFalse();
        } finally {
            silence.countDown();
        }
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {401, 403, 404, 410})
    void aFileTheProviderNoLongerServesIsGone(int status) {
        STATUSES.put("/files/gone-" + status + ".png", status);
        CopyOutcome outcome = store.copy(Output.of(url("/files/gone-" + status + ".png"), "image/png"), "gen_gone/1/0.png");
        assertThat(outcome).isEqualTo(new CopyOutcome.Gone("HTTP " + status));
        assertThat(exists("gen_gone/1/0.png")).isFalse();
    }

    @Test
    void aFileServerErrorIsAFailureWorthAnotherTry() {
        STATUSES.put("/files/busy.png", 503);
        assertThat(store.copy(Output.of(url("/files/busy.png"), "image/png"), "gen_busy/1/0.png"))
                .isEqualTo(new CopyOutcome.Failed(CopyOutcome.Side.SOURCE, "HTTP 503"));
    }

    @Test
    void aServerThatIsNotThereIsAFailureWorthAnotherTry() throws IOException {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        assertThat(store.copy(Output.of("http://127.0.0.1:" + closedPort + "/x.png", "image/png"), "gen_none/1/0.png"))
                .isInstanceOfSatisfying(CopyOutcome.Failed.class,
                        f -> assertThat(f.side()).isEqualTo(CopyOutcome.Side.SOURCE));
    }

    @Test
    void aUrlTheOutboundRulesRefuseIsNeverFetched() {
        assertThat(store.copy(Output.of("http://10.0.0.7/x.png", "image/png"), "gen_inside/1/0.png"))
                .isInstanceOf(CopyOutcome.Refused.class);
        assertThat(store.copy(Output.of("file:///etc/passwd", "image/png"), "gen_file/1/0.png"))
                .isInstanceOf(CopyOutcome.Refused.class);
    }

    @Test
    void aBucketThatCannotBeWrittenIsAStorageFailure() {
        FILES.put("/files/nowhere.png", random(100, 1));
        S3OutputStore nowhere = new S3OutputStore(s3, "no-such-bucket-" + UUID.randomUUID(), downloads,
                Duration.ofSeconds(60), Clock.systemUTC());
        assertThat(nowhere.copy(Output.of(url("/files/nowhere.png"), "image/png"), "gen_x/1/0.png"))
                .isInstanceOfSatisfying(CopyOutcome.Failed.class,
                        f -> assertThat(f.side()).isEqualTo(CopyOutcome.Side.STORAGE));
    }

    @Test
    void theFileServersMediaTypeWinsOverTheProvidersGuess() throws Exception {
        byte[] bytes = random(64, 2);
        FILES.put("/files/typed.mp4", bytes);
        assertThat(store.copy(Output.of(url("/files/typed.mp4"), "image/png"), "gen_typed/1/0.mp4"))
                .isEqualTo(new CopyOutcome.Copied(64, sha256(bytes), "video/mp4"));
    }
}
