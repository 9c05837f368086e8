package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
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
 * <li>bursts of jobs, in a local cloud of their own whose queue-depth limit is scaled down by
 * {@link #DEPTH_SCALE}: every accepted job must reach its webhook (nothing lost) and none may be
 * refused while the queue is below the limit; then, since on this machine the dispatcher drains the
 * queue faster than the ingress fills it, a burst past the limit into a local cloud whose dispatcher
 * does not consume the tier's queue (as when every provider is saturated): every accepted job must
 * be in the queue, and 503 with Retry-After may only answer once the queue holds the limit.</li>
 * </ol>
 */
@ExtendWith(LocalCloudExtension.class)
class PipelineBenchmark {
    private static final int[] CLIENTS = {1, 10, 100};
    private static final Duration PER_LEVEL = Duration.ofSeconds(25);
    /** The seeds' limit is 10,000 queued jobs; bursts here reach a tenth of that and twice the scaled limit. */
    private static final int DEPTH_SCALE = 10;
    private static final int MAX_PENDING = 10_000 / DEPTH_SCALE;
    private static final int[] BURSTS = {10, 100, MAX_PENDING};
    private static final int PAST_THE_LIMIT = MAX_PENDING * 3 / 2;
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
                + " (the seeds' 10,000 scaled down %dx, so the bursts finish in minutes on this machine);"
                + " queue depth sampled every 100 ms. The last row's local cloud does not consume the enterprise queue (as"
                + " when every provider is saturated): here the dispatcher drains faster than the ingress fills."
                + " Nothing lost: webhooks received / jobs accepted, or jobs in the queue / accepted where it is not"
                + " consumed:", BURST_SENDERS, MAX_PENDING, DEPTH_SCALE);
        out.line("");
        out.line("| burst | accepted (202) | 503 with Retry-After | other | max queue depth seen | accepted before"
                + " the first 503 | nothing lost | all delivered after |");
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
        pastTheLimit(out);
    }

    /** A burst past the limit into a queue nothing consumes: the 503 must start at the limit, and nothing accepted is lost. */
    private void pastTheLimit(Measurements out) throws Exception {
        Path template = LocalCloudExtension.projectRoot().resolve("template.yaml");
        String yaml = Files.readString(template);
        String consumer = "            Queue: !GetAtt EnterpriseQueue.Arn\n";
        assertThat(yaml).contains(consumer);
        Path stopped = Files.createDirectories(Path.of("target", "pipeline")).resolve("template-enterprise-not-consumed.yaml");
        Files.writeString(stopped, yaml.replace(consumer, consumer + "            Enabled: false\n"));
        LocalCloud cloud = LocalCloud.start(new LocalCloud.Options(stopped, 0, Optional.empty(), Map.of("MaxPendingJobs",
                Integer.toString(MAX_PENDING), "PlanConfig", LocalCloudExtension.planConfig())));
        try (cloud) {
            String key = cloud.issueKey(LocalCloudExtension.BENCH_TENANT, "enterprise").value();
            String queueUrl = cloud.runtime().sqs().getQueueUrl(b -> b.queueName(enterpriseQueue(cloud))).queueUrl();
            Burst b = send(cloud, key, queueUrl, PAST_THE_LIMIT, "/past-" + System.nanoTime());
            int queued = depth(cloud, queueUrl);
            out.line("| %,d past the limit, queue not consumed | %,d | %,d | %d | %,d | %s | %,d / %,d in the queue | - |", PAST_THE_LIMIT, b.accepted, b.refused, b.other, b.maxDepth,
                    b.refused == 0 ? "-" : String.format("%,d", b.acceptedAtFirstRefusal), queued, b.accepted);
            assertThat(b.other).as("answers other than 202 and 503 with Retry-After").isZero();
            assertThat(queued).as("every accepted job is queued").isEqualTo(b.accepted);
            assertThat(b.accepted).as("accepted up to the limit").isGreaterThanOrEqualTo(MAX_PENDING);
            assertThat(b.refused).as("refused past it").isPositive();
            assertThat(b.acceptedAtFirstRefusal).as("no 503 before the queue held the limit").isGreaterThanOrEqualTo(MAX_PENDING);
        }
    }

    private static int depth(LocalCloud cloud, String queueUrl) {
        return Integer.parseInt(cloud.runtime().sqs().getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    private static String enterpriseQueue(LocalCloud cloud) {
        return cloud.runtime().sqs().listQueues().queueUrls().stream().map(u -> u.substring(u.lastIndexOf('/') + 1))
                .filter(n -> n.toLowerCase(java.util.Locale.ROOT).contains("enterprise") && !n.toLowerCase(
                        java.util.Locale.ROOT).contains("dlq") && !n.toLowerCase(java.util.Locale.ROOT).contains("dead"))
                .findFirst().orElseThrow();
    }

    private static void burst(Measurements out, LocalCloud cloud, String key, String queueUrl, int size) throws Exception {
        String path = "/burst-" + size + "-" + System.nanoTime();
        long start = System.nanoTime();
        Burst b = send(cloud, key, queueUrl, size, path);
        List<WebhookReceiver.Delivery> delivered = cloud.services().webhooks().await(d -> d.path().equals(path),
                b.accepted, Duration.ofMinutes(4));
        double drained = (System.nanoTime() - start) / 1e9;
        out.line("| %,d | %,d | %,d | %d | %,d | %s | %,d / %,d webhooks | %.1f s |", size, b.accepted, b.refused, b.other,
                b.maxDepth, b.refused == 0 ? "-" : String.format("%,d", b.acceptedAtFirstRefusal), delivered.size(),
                b.accepted, drained);
        assertThat(b.other).as("answers other than 202 and 503 with Retry-After").isZero();
        assertThat(delivered).as("every accepted job of the burst reached its webhook").hasSize(b.accepted);
        if (b.maxDepth < MAX_PENDING) {
            assertThat(b.refused).as("no 503 while the queue stayed below the limit").isZero();
        }
    }

    private record Burst(int accepted, int refused, int other, int maxDepth, long acceptedAtFirstRefusal) {
    }

    /** Sends {@code size} jobs from {@link #BURST_SENDERS} threads at once, sampling the queue's depth meanwhile. */
    private static Burst send(LocalCloud cloud, String key, String queueUrl, int size, String path) throws Exception {
        AtomicInteger maxDepth = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        AtomicLong acceptedAtFirstRefusal = new AtomicLong(Long.MAX_VALUE);
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(BURST_SENDERS);
        // The queue's depth, ten times a second while the burst is sent.
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> maxDepth.accumulateAndGet(depth(cloud, queueUrl), Math::max), 0, 100,
                TimeUnit.MILLISECONDS);
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
                        acceptedAtFirstRefusal.accumulateAndGet(accepted.get(), Math::min);
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
        sampler.shutdown();
        sampler.awaitTermination(10, TimeUnit.SECONDS);
        pool.shutdown();
        return new Burst(accepted.get(), refused.get(), other.get(), maxDepth.get(), acceptedAtFirstRefusal.get());
    }
}
