package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.wiring.Adapters;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.JobStore;

/**
 * What the dispatch benchmarks share: jobs created through the API and then read straight from the
 * jobs table (a benchmark reads far more often than a key's 120 status reads a minute allow), and
 * provider settings.
 */
final class BenchmarkJobs {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LocalCloud cloud;
    private final Api api;
    private final JobStore jobs;

    BenchmarkJobs(LocalCloud cloud) {
        this.cloud = cloud;
        this.api = new Api(cloud);
        this.jobs = Adapters.jobs(new Components(
                FunctionEnvironment.of(cloud.runtime().function("DispatcherFunction").environment()), Clock.systemUTC()));
    }

    JobId create(String path, String key, String body) {
        Api.Response created = api.post(path, key, body);
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        return JobId.parse(created.json().path("id").asText()).orElseThrow();
    }

    /** Every job once all have ended; fails the benchmark if one has not within {@code timeout}. */
    List<Job> awaitEnded(List<JobId> ids, Duration timeout) {
        await("every job reaches a terminal state").atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> ids.stream().allMatch(id -> find(id).filter(j -> j.status().isTerminal()).isPresent()));
        List<Job> done = new ArrayList<>();
        ids.forEach(id -> done.add(find(id).orElseThrow()));
        return done;
    }

    Optional<Job> find(JobId id) {
        return jobs.find(id);
    }

    void configure(String provider, String settings) {
        try {
            assertThat(cloud.services().providers().configure(provider, JSON.readTree(settings))).isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
