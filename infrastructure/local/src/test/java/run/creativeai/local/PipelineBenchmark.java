package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.local.services.WebhookReceiver;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The whole pipeline with a zero-latency simulated provider, so what is measured is the gateway's own
 * work (ingress, queue, dispatcher, provider round trips, webhook queue, webhook function):
 * <ol>
 * <li>sustained jobs/s and submission-to-webhook latency with 1, 10 and 100 closed-loop clients
 * (each submits a job, waits for its webhook, submits the next), each level bounded in time;</li>
 * <li>bursts of queued jobs, in a local cloud of their own whose queue-depth limit is scaled down
 * by {@link #DEPTH_SCALE}: every accepted job must reach its webhook (nothing lost), and 503 with
 * Retry-After may only answer once the tier's queue holds more than the limit.</li>
 * </ol>
 */
@ExtendWith(LocalCloudExtension.class)
class PipelineBenchmark {
    private static final int[] CLIENTS = {1, 10, 100};
    private static final Duration PER_LEVEL = Duration.ofSeconds(25);
    /** The seeds' limit is 10,000 queued jobs; bursts here reach a tenth of that and twice the scaled limit. */
    private static final int DEPTH_SCALE = 10;
    private static final int MAX_PENDING = 10_000 / DEPTH_SCALE;
    private static final int[] BURSTS = {10, 100, MAX_PENDING, 3 * MAX_PENDING};
    private static final int BURST_SENDERS = 16;

    @Test
    void jobsPerSecondAndLatencyThenBursts(LocalCloud cloud) throws Exception {
        Measurements out = new Measurements("pipeline");
        String key = cloud.issueKey(LocalCloudExtension.BENCH_TENANT, "enterprise").value();
        out.line("Zero-latency simulated provider (sdxl), enterprise tier, closed-loop clients (submit, wait for the"
                + " job's webhook, submit the next) for %d s per level after a warm-up; latency = submission to webhook"
                + " arrival, milliseconds:", PER_LEVEL.toSeconds());
        out.line("");
        out.line("| clients | jobs | jobs/s | p50 | p90 | p99 | max |");
        out.line("|---:|---:|---:|---:|---:|---:|---:|");
        out.csv("clients", "jobs_per_s", "p50_ms", "p99_ms");
        try (AutoCloseable fast = BenchSupport.zeroLatency(cloud, List.of("sdxl"))) {
            closedLoop(cloud, key, 4, Duration.ofSeconds(8));
            for (int clients : CLIENTS) {
                Level level = closedLoop(cloud, key, clients, PER_LEVEL);
                out.line("| %d | %d | %.1f | %d | %d | %d | %d |", clients, level.latencies.size(), level.perSecond,
                        ms(level, 0.5), ms(level, 0.9), ms(level, 0.99), ms(level, 1.0));
                out.csv(clients, level.perSecond, (double) ms(level, 0.5), (double) ms(level, 0.99));
            }
        }
        out.line("");
        bursts(out);
        out.save();
    }

    private record Level(List<Long> latencies, double perSecond) {
    }

    private static long ms(Level level, double q) {
        return Measurements.quantile(level.latencies, q);
    }

    private static Level closedLoop(LocalCloud cloud, String key, int clients, Duration duration) throws Exception {
        WebhookReceiver hooks = cloud.services().webhooks();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            running.add(pool.submit(() -> {
                Api api = new Api(cloud);
                int n = 0;
                while (System.nanoTime() < end) {
                    String path = "/pipe-" + start + "-" + client + "-" + n++;
                    CompletableFuture<WebhookReceiver.Delivery> hook = hooks.firstDelivery(path);
                    Instant submitted = Instant.now();
                    BenchSupport.accepted(BenchSupport.submit(api, cloud, key, "sdxl", path));
                    WebhookReceiver.Delivery d = hook.get(60, TimeUnit.SECONDS);
                    latencies.add(Duration.between(submitted, d.receivedAt()).toMillis());
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return new Level(List.copyOf(latencies), latencies.size() / seconds);
    }

    /** Bursts against a local cloud of their own, whose queue-depth limit is {@link #MAX_PENDING}. */
    private void bursts(Measurements out) throws Exception {
        out.line("Bursts: N jobs submitted at once by %d senders to a local cloud of its own with `MaxPendingJobs` = %,d"
                + " (the seeds' 10,000 scaled down %dx, so a burst past the limit finishes in minutes on this machine);"
                + " queue depth sampled every 100 ms:", BURST_SENDERS, MAX_PENDING, DEPTH_SCALE);
        out.line("");
        out.line("| burst | accepted (202) | 503 with Retry-After | other | max queue depth seen | lowest depth seen"
                + " in the second before a 503 | webhooks received / accepted | all delivered after |");
        out.line("|---:|---:|---:|---:|---:|---:|---:|---:|");
        LocalCloud burstCloud = LocalCloud.start(new LocalCloud.Options(LocalCloudExtension.projectRoot()
                .resolve("template.yaml"), 0, Optional.empty(), Map.of("MaxPendingJobs", Integer.toString(MAX_PENDING),
                        "PlanConfig", LocalCloudExtension.planConfig())));
        try (burstCloud; AutoCloseable fast = BenchSupport.zeroLatency(burstCloud, List.of("sdxl"))) {
            String key = burstCloud.issueKey(LocalCloudExtension.BENCH_TENANT, "enterprise").value();
            String queueUrl = burstCloud.runtime().sqs().getQueueUrl(b -> b.queueName(enterpriseQueue(burstCloud)))
                    .queueUrl();
            for (int burst : BURSTS) {
                burst(out, burstCloud, key, queueUrl, burst);
            }
        }
    }

    private static String enterpriseQueue(LocalCloud cloud) {
        return cloud.runtime().sqs().listQueues().queueUrls().stream().map(u -> u.substring(u.lastIndexOf('/') + 1))
                .filter(n -> n.toLowerCase(java.util.Locale.ROOT).contains("enterprise") && !n.toLowerCase(
                        java.util.Locale.ROOT).contains("dlq") && !n.toLowerCase(java.util.Locale.ROOT).contains("dead"))
                .findFirst().orElseThrow();
    }

    private static void burst(Measurements out, LocalCloud cloud, String key, String queueUrl, int size) throws Exception {
        String path = "/burst-" + size + "-" + System.nanoTime();
        Map<Long, Integer> depthAt = new ConcurrentHashMap<>();
        AtomicInteger maxDepth = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        AtomicLong lowestBeforeRefusal = new AtomicLong(Long.MAX_VALUE);
        List<Long> refusalTimes = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(BURST_SENDERS + 1);
        java.util.concurrent.atomic.AtomicBoolean sending = new java.util.concurrent.atomic.AtomicBoolean(true);
        Future<?> sampler = pool.submit(() -> {
            while (sending.get()) {
                int depth = Integer.parseInt(cloud.runtime().sqs().getQueueAttributes(b -> b.queueUrl(queueUrl)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                        .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
                depthAt.put(System.nanoTime(), depth);
                maxDepth.accumulateAndGet(depth, Math::max);
                Thread.sleep(100);
            }
            return null;
        });
        long start = System.nanoTime();
        List<Future<?>> senders = new ArrayList<>();
        for (int s = 0; s < BURST_SENDERS; s++) {
            senders.add(pool.submit(() -> {
                Api api = new Api(cloud);
                while (next.getAndIncrement() < size) {
                    Api.Response r = BenchSupport.submit(api, cloud, key, "sdxl", path);
                    if (r.status() == 202) {
                        accepted.incrementAndGet();
                    } else if (r.status() == 503 && r.header("Retry-After") != null) {
                        refused.incrementAndGet();
                        refusalTimes.add(System.nanoTime());
                    } else {
                        other.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : senders) {
            f.get();
        }
        sending.set(false);
        sampler.get();
        pool.shutdown();
        for (long t : refusalTimes) {
            depthAt.forEach((at, depth) -> {
                if (at <= t && at >= t - 1_000_000_000L) {
                    lowestBeforeRefusal.accumulateAndGet(depth, Math::min);
                }
            });
        }
        List<WebhookReceiver.Delivery> delivered = cloud.services().webhooks().await(d -> d.path().equals(path),
                accepted.get(), Duration.ofMinutes(4));
        double drained = (System.nanoTime() - start) / 1e9;
        out.line("| %,d | %,d | %,d | %d | %,d | %s | %,d / %,d | %.1f s |", size, accepted.get(), refused.get(), other.get(),
                maxDepth.get(), refused.get() == 0 ? "-" : String.format("%,d", lowestBeforeRefusal.get()), delivered.size(),
                accepted.get(), drained);
        assertThat(other.get()).as("answers other than 202 and 503 with Retry-After").isZero();
        assertThat(delivered).as("every accepted job of the burst reached its webhook").hasSize(accepted.get());
    }
}
