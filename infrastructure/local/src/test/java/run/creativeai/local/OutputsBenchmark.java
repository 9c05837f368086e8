package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.adapters.AwsClients;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.http.OutputDownloads;
import run.creativeai.gateway.adapters.s3.S3OutputStore;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.dispatch.CopyOutcome;
import run.creativeai.gateway.job.Output;
import run.creativeai.gateway.webhook.WebhookUrlPolicy;
import run.creativeai.local.services.SampleMedia;
import run.creativeai.local.services.WebhookReceiver;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What copying outputs costs, in three measurements against the local cloud:
 * <ol>
 * <li>the copy (download from a loopback file server, SHA-256, upload in 8 MiB parts) against a raw
 * upload of the same bytes from memory, by the same S3 client to the same local S3, in the same run;</li>
 * <li>the heap a 200 MB copy needs, in a JVM of its own with {@code -Xmx64m}, beside the same copy
 * done by reading the whole file first (which that heap cannot hold);</li>
 * <li>text-to-video end to end (submission to webhook) with a zero-latency provider, by output size,
 * with the time the copy took read from each job ({@code timings.copy_ms}). Each row is a
 * {@link Scenario}: an image-to-video row is one more entry once that operation exists.</li>
 * </ol>
 */
@ExtendWith(LocalCloudExtension.class)
class OutputsBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROUNDS = 7;
    private static final int E2E_JOBS = 8;
    private static final long MB = 1024 * 1024;

    /** One end-to-end row: a request, and the size of the output its provider makes. */
    record Scenario(String label, String route, String body, String provider, long outputBytes) {
    }

    static final List<Scenario> SCENARIOS = List.of(
            new Scenario("text-to-video, sample MP4 (0.5 MB)", "/v1/video/generations",
                    "{\"model\":\"kling\",\"prompt\":\"waves\",\"duration\":5", "kling", 0),
            new Scenario("text-to-video, 50 MB MP4", "/v1/video/generations",
                    "{\"model\":\"kling\",\"prompt\":\"waves\",\"duration\":5", "kling", 50 * MB));

    @Test
    void copyOverheadHeapAndEndToEnd(LocalCloud cloud) throws Exception {
        Measurements out = new Measurements("outputs");
        Map<String, String> env = cloud.runtime().function("DispatcherFunction").environment();
        String bucket = env.get(Components.OUTPUTS_BUCKET);
        HttpServer files = fileServer(Map.of(
                "/image.png", SampleMedia.image(0),
                "/image-2mb.png", SampleMedia.image(2 * MB),
                "/video-50mb.mp4", SampleMedia.video(50 * MB),
                "/video-200mb.mp4", SampleMedia.video(200 * MB)));
        String base = "http://127.0.0.1:" + files.getAddress().getPort();
        try (S3Client s3 = AwsClients.s3(FunctionEnvironment.of(env));
                OutputDownloads downloads = new OutputDownloads(WebhookUrlPolicy.loopbackOnly(), Duration.ofSeconds(30))) {
            S3OutputStore store = new S3OutputStore(s3, bucket, downloads, Duration.ofMinutes(5), Clock.systemUTC());
            overhead(out, s3, bucket, store, base);
            heap(out, cloud, bucket, base);
        } finally {
            files.stop(0);
        }
        endToEnd(out, cloud, bucket);
        out.save();
    }

    // ---------------------------------------------------------------- 1. copy against raw upload

    private static void overhead(Measurements out, S3Client s3, String bucket, S3OutputStore store, String base) {
        Map<String, SampleMedia.File> cases = new LinkedHashMap<>();
        cases.put("image, the simulators' 1024x1024 PNG", SampleMedia.image(0));
        cases.put("image, PNG padded to 2 MB", SampleMedia.image(2 * MB));
        cases.put("video, MP4 padded to 50 MB", SampleMedia.video(50 * MB));
        Map<String, String> paths = Map.of("image, the simulators' 1024x1024 PNG", "/image.png",
                "image, PNG padded to 2 MB", "/image-2mb.png", "video, MP4 padded to 50 MB", "/video-50mb.mp4");
        out.line("Copy of one output (download from a loopback file server, SHA-256, upload in 8 MiB parts, the next part"
                + " read while the last is sent) against raw uploads of the same bytes from memory by the same S3 client to"
                + " the same local S3 (s3proxy, in this JVM): one PutObject, and the way the AWS CLI and transfer manager"
                + " upload a file (multipart in 8 MiB parts from 8 MiB up, one PutObject below); %d rounds each after a"
                + " warm-up, alternating; medians:", ROUNDS);
        out.line("");
        out.line("| output | size | copy ms | raw PutObject ms | raw multipart ms | copy ms per MB | raw ms per MB |"
                + " copy / raw (PutObject) | copy / raw (same parts) |");
        out.line("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        out.csv("output_MB", "series", "time_ms/MB");
        for (var c : cases.entrySet()) {
            byte[] bytes = c.getValue().bytes();
            String url = base + paths.get(c.getKey());
            List<Long> copies = new ArrayList<>();
            List<Long> raws = new ArrayList<>();
            List<Long> parted = new ArrayList<>();
            for (int round = -1; round < ROUNDS; round++) {
                long copy = timeCopy(store, url, c.getValue().contentType(), bytes.length);
                long raw = timeRaw(s3, bucket, bytes, c.getValue().contentType());
                long multipart = timeRawInParts(s3, bucket, bytes, c.getValue().contentType());
                if (round >= 0) {
                    copies.add(copy);
                    raws.add(raw);
                    parted.add(multipart);
                }
                for (String k : List.of("bench/copy", "bench/raw", "bench/parts")) {
                    s3.deleteObject(b -> b.bucket(bucket).key(k));
                }
            }
            double mb = bytes.length / (double) MB;
            double copyMs = Measurements.quantile(copies, 0.5) / 1e6;
            double rawMs = Measurements.quantile(raws, 0.5) / 1e6;
            double partsMs = Measurements.quantile(parted, 0.5) / 1e6;
            out.line("| %s | %.2f MB | %.1f | %.1f | %.1f | %.2f | %.2f | %.2f | **%.2f** |", c.getKey(), mb, copyMs, rawMs,
                    partsMs, copyMs / mb, partsMs / mb, copyMs / rawMs, copyMs / partsMs);
            out.csv(mb, "copy", copyMs / mb);
            out.csv(mb, "raw upload (same parts)", partsMs / mb);
        }
        out.line("");
        out.line("Target: copy / raw <= 1.2 (against the same parts: what copying adds to an upload of the same file).");
        out.line("");
    }

    private static long timeCopy(S3OutputStore store, String url, String type, long expected) {
        long start = System.nanoTime();
        CopyOutcome outcome = store.copy(Output.of(url, type), "bench/copy");
        long took = System.nanoTime() - start;
        assertThat(outcome).isInstanceOfSatisfying(CopyOutcome.Copied.class, c -> assertThat(c.sizeBytes()).isEqualTo(expected));
        return took;
    }

    private static long timeRaw(S3Client s3, String bucket, byte[] bytes, String type) {
        long start = System.nanoTime();
        s3.putObject(b -> b.bucket(bucket).key("bench/raw").contentType(type), RequestBody.fromContentProvider(
                () -> new ByteArrayInputStream(bytes), bytes.length, type));
        return System.nanoTime() - start;
    }

    /** The bytes from memory as the AWS CLI uploads a file: 8 MiB parts from 8 MiB up, one request below. */
    private static long timeRawInParts(S3Client s3, String bucket, byte[] bytes, String type) {
        int part = S3OutputStore.PART_SIZE;
        long start = System.nanoTime();
        if (bytes.length < part) {
            s3.putObject(b -> b.bucket(bucket).key("bench/parts").contentType(type), RequestBody.fromContentProvider(
                    () -> new ByteArrayInputStream(bytes), bytes.length, type));
            return System.nanoTime() - start;
        }
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("bench/parts").contentType(type)).uploadId();
        List<software.amazon.awssdk.services.s3.model.CompletedPart> done = new ArrayList<>();
        for (int offset = 0, number = 1; offset < bytes.length; offset += part, number++) {
            int from = offset;
            int length = Math.min(part, bytes.length - offset);
            int n = number;
            String etag = s3.uploadPart(b -> b.bucket(bucket).key("bench/parts").uploadId(id).partNumber(n)
                    .contentLength((long) length), RequestBody.fromContentProvider(
                    () -> new ByteArrayInputStream(bytes, from, length), length, type)).eTag();
            done.add(software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(n).eTag(etag).build());
        }
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("bench/parts").uploadId(id).multipartUpload(m -> m.parts(done)));
        return System.nanoTime() - start;
    }

    // ---------------------------------------------------------------- 2. heap during a 200 MB copy

    private static void heap(Measurements out, LocalCloud cloud, String bucket, String base) throws Exception {
        out.line("Heap during a copy of a 200 MB video, each in a JVM of its own with `-Xmx64m` (the copy as the dispatcher"
                + " makes it, and a copy that reads the whole file before uploading it); high-water mark = the sum of every"
                + " heap pool's peak since the copy began (MemoryPoolMXBean), an upper bound of the heap in use at any moment:");
        out.line("");
        out.line("| copy | -Xmx | result | heap high-water mark | garbage collections | ms |");
        out.line("|---|---:|---|---:|---:|---:|");
        for (String mode : List.of("stream", "buffered")) {
            Map<String, String> result = probe(cloud, mode, base + "/video-200mb.mp4", bucket);
            String outcome = result.getOrDefault("outcome", "failed: " + result.getOrDefault("error", "?"));
            out.line("| %s | 64 MB | %s | %s | %s | %s |",
                    mode.equals("stream") ? "streaming, 8 MiB parts (the dispatcher's)" : "whole file in memory first",
                    outcome.replace('_', ' '),
                    result.containsKey("peak_heap_bytes")
                            ? String.format(java.util.Locale.ROOT, "%.1f MB", Long.parseLong(result.get("peak_heap_bytes")) / (double) MB)
                            : "-",
                    result.getOrDefault("gcs", "-"), result.getOrDefault("ms", "-"));
            cloud.runtime().s3().deleteObject(b -> b.bucket(bucket).key("bench/probe"));
            if (mode.equals("stream")) {
                assertThat(outcome).startsWith("copied_" + (200 * MB));
            }
        }
        out.line("");
    }

    private static Map<String, String> probe(LocalCloud cloud, String mode, String url, String bucket) throws Exception {
        BenchSupport.ProbeRun run = BenchSupport.probe(List.of("-Xmx64m", "-XX:+UseSerialGC"), OutputCopyProbe.class,
                cloud.services().awsEnvironment(), mode, url, bucket, "bench/probe");
        Map<String, String> result = new LinkedHashMap<>();
        run.lines("PROBE").forEach(result::putAll);
        if (run.output().contains("OutOfMemoryError")) {
            result.put("outcome", "OutOfMemoryError");
        } else if (!result.containsKey("outcome")) {
            result.put("error", "exit " + run.exit());
        }
        return result;
    }

    // ---------------------------------------------------------------- 3. end to end

    private static void endToEnd(Measurements out, LocalCloud cloud, String bucket) throws Exception {
        Api api = new Api(cloud);
        String key = cloud.issueKey("outputs-bench-" + System.nanoTime(), "enterprise").value();
        out.line("End to end, submission to webhook, %d jobs per row one after another (after one warm-up job), zero-latency"
                + " provider with callbacks; copy = the job's `timings.copy_ms` (provider finished to outputs stored);"
                + " milliseconds, medians:", E2E_JOBS);
        out.line("");
        out.line("| scenario | output | submission to webhook | copy | the same without the copy | copy share |");
        out.line("|---|---:|---:|---:|---:|---:|");
        for (Scenario scenario : SCENARIOS) {
            List<Long> totals = new ArrayList<>();
            List<Long> copies = new ArrayList<>();
            long size = 0;
            JsonNode previous = cloud.services().providers().describeAll().path(scenario.provider());
            cloud.services().providers().configure(scenario.provider(), JSON.createObjectNode().put("latency_ms", 0)
                    .put("output_bytes", scenario.outputBytes()));
            try {
                for (int i = -1; i < E2E_JOBS; i++) {
                    String hook = "/outputs-bench-" + System.nanoTime();
                    Instant submitted = Instant.now();
                    Api.Response created = api.post(scenario.route(), key, scenario.body() + ",\"webhook_url\":\""
                            + cloud.apiUrl() + "/_local/webhooks" + hook + "\"}");
                    String id = BenchSupport.accepted(created);
                    WebhookReceiver.Delivery delivery = cloud.services().webhooks()
                            .await(d -> d.path().equals(hook), 1, Duration.ofSeconds(120)).get(0);
                    JsonNode job = api.get("/v1/generations/" + id, key).json();
                    assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
                    size = job.path("outputs").get(0).path("size_bytes").asLong();
                    if (i >= 0) {
                        totals.add(Duration.between(submitted, delivery.receivedAt()).toMillis());
                        copies.add(job.path("timings").path("copy_ms").asLong());
                    }
                    cloud.runtime().s3().listObjectsV2(b -> b.bucket(bucket).prefix("outputs/" + id + "/")).contents()
                            .forEach(o -> cloud.runtime().s3().deleteObject(b -> b.bucket(bucket).key(o.key())));
                }
            } finally {
                cloud.services().providers().configure(scenario.provider(), JSON.createObjectNode()
                        .set("latency_ms", previous.path("latency_ms")));
                cloud.services().providers().configure(scenario.provider(), JSON.createObjectNode()
                        .put("output_bytes", previous.path("output_bytes").asLong(0)));
            }
            long total = Measurements.quantile(totals, 0.5);
            long copy = Measurements.quantile(copies, 0.5);
            out.line("| %s | %.1f MB | %d | %d | %d | %.0f %% |", scenario.label(), size / (double) MB, total, copy,
                    total - copy, 100.0 * copy / total);
        }
        out.line("");
    }

    private static HttpServer fileServer(Map<String, SampleMedia.File> files) throws IOException {
        // Nagle's algorithm off, as on the simulated providers' server: no response waits for a delayed ACK.
        HttpServer server = run.creativeai.local.services.LoopbackHttpServers.create(0, 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "bench-files");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", exchange -> {
            try (exchange) {
                SampleMedia.File file = files.get(exchange.getRequestURI().getPath());
                exchange.getResponseHeaders().set("Content-Type", file.contentType());
                exchange.sendResponseHeaders(200, file.length());
                file.writeTo(exchange.getResponseBody());
            }
        });
        server.start();
        return server;
    }
}
