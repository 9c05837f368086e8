package run.creativeai.local;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import run.creativeai.gateway.adapters.AwsClients;
import run.creativeai.gateway.adapters.http.OutputDownloads;
import run.creativeai.gateway.adapters.s3.S3OutputStore;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.dispatch.CopyOutcome;
import run.creativeai.gateway.job.Output;
import run.creativeai.gateway.webhook.WebhookUrlPolicy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Runs in a JVM of its own, started by {@link OutputsBenchmark} with a small {@code -Xmx}: copies one
 * file into S3 as the dispatcher does ({@code stream}), or as a copy that read the whole file first
 * would ({@code buffered}, the control), and prints one line: the outcome, and the heap's high-water
 * mark (the sum of every heap pool's peak since the start of the copy, an upper bound of the used
 * heap at any one moment) with the garbage collections it took.
 *
 * <p>Usage: {@code OutputCopyProbe stream|buffered <url> <bucket> <key>}, with the AWS variables of
 * the local S3 in the environment.
 */
public final class OutputCopyProbe {
    private OutputCopyProbe() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        URI url = URI.create(args[1]);
        String bucket = args[2];
        String key = args[3];
        S3Client s3 = AwsClients.s3(FunctionEnvironment.of(System.getenv()));
        // Clients and classes loaded before the measurement, as in a warm dispatcher.
        s3.listBuckets();
        long gcBefore = collections();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        long start = System.nanoTime();
        String outcome;
        if (mode.equals("stream")) {
            try (OutputDownloads downloads = new OutputDownloads(WebhookUrlPolicy.loopbackOnly(), Duration.ofSeconds(30))) {
                CopyOutcome copied = new S3OutputStore(s3, bucket, downloads, Duration.ofMinutes(5), Clock.systemUTC())
                        .copy(Output.of(url.toString(), "video/mp4"), key);
                outcome = copied instanceof CopyOutcome.Copied c ? "copied " + c.sizeBytes() + " bytes" : copied.toString();
            }
        } else {
            byte[] all = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(all));
            outcome = "copied " + all.length + " bytes";
        }
        long took = (System.nanoTime() - start) / 1_000_000;
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println(String.format(Locale.ROOT, "PROBE outcome=%s peak_heap_bytes=%d max_heap_bytes=%d gcs=%d ms=%d",
                outcome.replace(' ', '_'), peak, Runtime.getRuntime().maxMemory(), collections() - gcBefore, took));
    }

    private static long collections() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }
}
