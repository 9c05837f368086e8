package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.JobStatus;
import run.creativeai.gateway.job.ProviderAttempt;

/**
 * Real time, so not in the default suite: how long after the provider finished a job the gateway
 * records it {@code succeeded}, when the provider announces the end through its signed callback and
 * when the gateway only learns it from its scheduled status checks (the provider told to send no
 * callbacks). Image jobs on sdxl (Replicate's protocol) that run 2.5 s at the provider; the
 * provider's end is taken as the attempt's recorded start plus that run time (the start is written
 * just before the submission, so the delay is overstated by the submission's few milliseconds, in
 * both columns alike).
 */
@ExtendWith(LocalCloudExtension.class)
class CompletionPathBenchmark {
    private static final int JOBS = 20;
    private static final long RUN_MS = 2_500;

    @Test
    void fromProviderCompletionToSucceededByCallbackAndByPoll(LocalCloud cloud) {
        BenchmarkJobs bench = new BenchmarkJobs(cloud);
        String key = cloud.issueKey("completion-bench", "enterprise").value();
        Measurements out = new Measurements("completion-path");
        StringBuilder md = new StringBuilder("| the gateway learns the end by | jobs | delay p50 | p95 | max |\n"
                + "|---|---:|---:|---:|---:|\n");
        for (boolean callbacks : List.of(true, false)) {
            bench.configure("sdxl", "{\"mode\":\"up\",\"latency_ms\":" + RUN_MS + ",\"callbacks\":" + callbacks + "}");
            List<JobId> ids = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                ids.add(bench.create("/v1/images/generations", key, "{\"model\":\"sdxl\",\"prompt\":\"path " + i + "\"}"));
            }
            List<Long> delays = new ArrayList<>();
            for (Job job : bench.awaitEnded(ids, Duration.ofSeconds(90))) {
                assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
                ProviderAttempt attempt = job.currentAttempt().orElseThrow();
                Instant providerDone = attempt.startedAt().plusMillis(RUN_MS);
                delays.add(Duration.between(providerDone, job.timings().finishedAt().orElseThrow()).toMillis());
            }
            String how = callbacks ? "provider callback" : "scheduled status checks only";
            long max = delays.stream().mapToLong(Long::longValue).max().orElseThrow();
            out.line("%-30s %2d jobs  p50 %5d ms  p95 %5d ms  max %5d ms", how, JOBS, Measurements.quantile(delays, 0.5),
                    Measurements.quantile(delays, 0.95), max);
            md.append(String.format("| %s | %d | %d ms | %d ms | %d ms |%n", how, JOBS, Measurements.quantile(delays, 0.5),
                    Measurements.quantile(delays, 0.95), max));
        }
        bench.configure("sdxl", "{\"latency_ms\":null,\"callbacks\":true}");
        out.saveMarkdown(md.toString());
    }
}
