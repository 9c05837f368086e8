package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.JobStatus;
import run.creativeai.local.services.SimulatedProviders;

/**
 * Real time, so not in the default suite: HTTP calls the gateway makes to providers per job (submit,
 * status reads, result reads, cancels), counted by the simulated providers, for each chain with every
 * provider up and with its first link down. With the first link down its circuit opens after five
 * failures, so later jobs skip it without a call: the per-job cost of a dead provider falls with the
 * number of jobs; the table gives the first five jobs and the rest apart.
 */
@ExtendWith(LocalCloudExtension.class)
class ProviderCallsBenchmark {
    private static final int JOBS = 20;
    private static final List<String> PROVIDERS = List.of("seedream", "flux", "sdxl", "kling", "seedance", "vidu");

    @Test
    void providerCallsPerJobWithAndWithoutFailover(LocalCloud cloud) {
        BenchmarkJobs bench = new BenchmarkJobs(cloud);
        SimulatedProviders providers = cloud.services().providers();
        String key = cloud.issueKey("calls-bench", "enterprise").value();
        for (String p : PROVIDERS) {
            bench.configure(p, "{\"mode\":\"up\",\"latency_ms\":300,\"callbacks\":true}");
        }
        StringBuilder md = new StringBuilder("| chain | first link | jobs | provider calls per job | calls to the first link"
                + " per job | failover used |\n|---|---|---:|---:|---:|---:|\n");
        Measurements out = new Measurements("provider-calls");
        record Chain(String name, String path, String body, String first) {
        }
        List<Chain> chains = List.of(
                new Chain("image: seedream, flux, sdxl", "/v1/images/generations", "{\"model\":\"seedream\",\"prompt\":\"calls\"}",
                        "seedream"),
                new Chain("video: kling, seedance, vidu", "/v1/video/generations",
                        "{\"model\":\"kling\",\"prompt\":\"calls\",\"duration\":5}", "kling"));
        for (Chain chain : chains) {
            for (boolean down : List.of(false, true)) {
                bench.configure(chain.first(), down ? "{\"mode\":\"down\"}" : "{\"mode\":\"up\"}");
                // Jobs one at a time, so the circuit's opening after five failures shows in the counts.
                List<Long> calls = new ArrayList<>();
                List<Long> firstLinkCalls = new ArrayList<>();
                int failovers = 0;
                for (int i = 0; i < JOBS; i++) {
                    Map<String, Long> before = counts(providers);
                    JobId id = bench.create(chain.path(), key, chain.body());
                    Job job = bench.awaitEnded(List.of(id), Duration.ofSeconds(60)).get(0);
                    assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
                    Map<String, Long> after = counts(providers);
                    calls.add(PROVIDERS.stream().mapToLong(p -> after.get(p) - before.get(p)).sum());
                    firstLinkCalls.add(after.get(chain.first()) - before.get(chain.first()));
                    failovers += job.failoverUsed() ? 1 : 0;
                }
                String state = down ? "down" : "up";
                if (down) {
                    row(md, out, chain.name(), state + ", jobs 1-5", calls.subList(0, 5), firstLinkCalls.subList(0, 5),
                            failovers > 0 ? 5 : 0);
                    row(md, out, chain.name(), state + ", jobs 6-" + JOBS, calls.subList(5, JOBS),
                            firstLinkCalls.subList(5, JOBS), failovers - 5);
                } else {
                    row(md, out, chain.name(), state, calls, firstLinkCalls, failovers);
                }
                bench.configure(chain.first(), "{\"mode\":\"up\"}");
            }
        }
        out.saveMarkdown(md.toString());
    }

    private static void row(StringBuilder md, Measurements out, String chain, String first, List<Long> calls,
            List<Long> firstCalls, int failovers) {
        double perJob = calls.stream().mapToLong(Long::longValue).average().orElseThrow();
        double firstPerJob = firstCalls.stream().mapToLong(Long::longValue).average().orElseThrow();
        out.line("%-30s first link %-16s %2d jobs  %.2f calls/job  %.2f to the first link  %d failed over", chain, first,
                calls.size(), perJob, firstPerJob, failovers);
        md.append(String.format(java.util.Locale.ROOT, "| %s | %s | %d | %.2f | %.2f | %d |%n", chain, first, calls.size(),
                perJob, firstPerJob, failovers));
    }

    private static Map<String, Long> counts(SimulatedProviders providers) {
        Map<String, Long> counts = new LinkedHashMap<>();
        PROVIDERS.forEach(p -> counts.put(p, providers.requests(p)));
        return counts;
    }
}
