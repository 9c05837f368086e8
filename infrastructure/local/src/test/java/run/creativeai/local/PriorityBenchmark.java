package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.JobStatus;
import run.creativeai.gateway.plan.Tier;

/**
 * Real time, so not in the default suite: queue wait per tier on a saturated provider. Video jobs for
 * vidu (four gateway slots in the test cloud, 1 s a job) arrive at five a second for twelve
 * seconds, half free, a quarter pro, a quarter enterprise: about twice what the provider can take.
 * Queue wait is the job's recorded time from admission to its first provider attempt.
 */
@ExtendWith(LocalCloudExtension.class)
class PriorityBenchmark {
    private static final int JOBS = 60;
    private static final long EVERY_MS = 200;
    private static final Tier[] PATTERN = {Tier.FREE, Tier.PRO, Tier.FREE, Tier.ENTERPRISE};

    @Test
    void queueWaitPerTierUnderSaturation(LocalCloud cloud) throws Exception {
        BenchmarkJobs bench = new BenchmarkJobs(cloud);
        bench.configure("vidu", "{\"mode\":\"up\",\"latency_ms\":1000,\"callbacks\":true}");
        Map<Tier, String> keys = new EnumMap<>(Tier.class);
        keys.put(Tier.FREE, cloud.issueKey(LocalCloudExtension.FREE_FLOOD_TENANT, "free").value());
        keys.put(Tier.PRO, cloud.issueKey(LocalCloudExtension.PRO_FLOOD_TENANT, "pro").value());
        keys.put(Tier.ENTERPRISE, cloud.issueKey("priority-bench", "enterprise").value());

        Instant start = Instant.now();
        Map<JobId, Long> submittedAtMs = new ConcurrentHashMap<>();
        ScheduledExecutorService arrivals = Executors.newSingleThreadScheduledExecutor();
        List<java.util.concurrent.ScheduledFuture<?>> sent = new ArrayList<>();
        try {
            for (int i = 0; i < JOBS; i++) {
                Tier tier = PATTERN[i % PATTERN.length];
                sent.add(arrivals.schedule(() -> submittedAtMs.put(bench.create("/v1/video/generations", keys.get(tier),
                        "{\"model\":\"vidu\",\"prompt\":\"flood\",\"duration\":5}"),
                        Duration.between(start, Instant.now()).toMillis()), i * EVERY_MS, TimeUnit.MILLISECONDS));
            }
            for (var arrival : sent) {
                arrival.get(60, TimeUnit.SECONDS);
            }
        } finally {
            arrivals.shutdownNow();
        }
        assertThat(submittedAtMs).as("every arrival was admitted").hasSize(JOBS);
        List<Job> jobs = bench.awaitEnded(new ArrayList<>(submittedAtMs.keySet()), Duration.ofMinutes(3));
        assertThat(jobs).allSatisfy(j -> assertThat(j.status()).isEqualTo(JobStatus.SUCCEEDED));

        Map<Tier, List<Long>> waits = new EnumMap<>(Tier.class);
        List<String> csv = new ArrayList<>(List.of("t_seconds,series,queue_wait_ms"));
        jobs.stream().sorted(java.util.Comparator.comparing(j -> submittedAtMs.get(j.id()))).forEach(j -> {
            long wait = j.timings().queueWait().orElseThrow().toMillis();
            waits.computeIfAbsent(j.tier(), t -> new ArrayList<>()).add(wait);
            csv.add(String.format(java.util.Locale.ROOT, "%.2f,%s,%d", submittedAtMs.get(j.id()) / 1000.0,
                    j.tier().wireName(), wait));
        });
        Instant lastEnterpriseStart = jobs.stream().filter(j -> j.tier() == Tier.ENTERPRISE)
                .map(j -> j.timings().startedAt().orElseThrow()).max(Instant::compareTo).orElseThrow();
        long freeWaitingThen = jobs.stream().filter(j -> j.tier() == Tier.FREE)
                .filter(j -> j.timings().startedAt().orElseThrow().isAfter(lastEnterpriseStart)).count();
        long total = Duration.between(start, jobs.stream().map(j -> j.timings().finishedAt().orElseThrow())
                .max(Instant::compareTo).orElseThrow()).toMillis();

        Measurements out = new Measurements("priority");
        out.line("Queue wait per tier: %d video jobs at one every %d ms onto vidu (%d gateway slots, 1 s a job)",
                JOBS, EVERY_MS, LocalCloudExtension.SMALL_PROVIDER_SLOTS);
        StringBuilder md = new StringBuilder("| tier | jobs | queue wait p50 | p95 | max |\n|---|---:|---:|---:|---:|\n");
        for (Tier tier : List.of(Tier.ENTERPRISE, Tier.PRO, Tier.FREE)) {
            List<Long> w = waits.get(tier);
            long max = w.stream().mapToLong(Long::longValue).max().orElseThrow();
            out.line("%-10s %4d jobs  p50 %6d ms  p95 %6d ms  max %6d ms", tier.wireName(), w.size(),
                    Measurements.quantile(w, 0.5), Measurements.quantile(w, 0.95), max);
            md.append(String.format("| %s | %d | %d ms | %d ms | %d ms |%n", tier.wireName(), w.size(),
                    Measurements.quantile(w, 0.5), Measurements.quantile(w, 0.95), max));
        }
        md.append(String.format("%nAll %d jobs ended %.1f s after the first arrived; when the last enterprise job started,"
                + " %d of %d free jobs had not started yet.%n", JOBS, total / 1000.0, freeWaitingThen,
                waits.get(Tier.FREE).size()));
        out.line("last job ended after %d ms; free jobs not yet started when the last enterprise job started: %d",
                total, freeWaitingThen);
        out.saveMarkdown(md.toString());
        out.saveCsv(csv);
    }
}
