package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.local.services.WebhookReceiver;

/**
 * Real time, so not in the default suite (run it as BENCHMARKS.md says): jobs run through the whole
 * pipeline to an endpoint that always answers 503, and each of the three attempts' arrival is
 * compared with its due time: attempt 1 at the job's recorded end, attempt 2 5 s after attempt 1
 * failed, attempt 3 30 s after attempt 2 failed (a failure is when the attempt's answer came: its
 * recorded start plus its duration).
 */
@ExtendWith(LocalCloudExtension.class)
class WebhookScheduleBenchmark {
    private static final int JOBS = 20;
    /** The wait before each attempt: from the job's end for the first, from the previous failure for the others. */
    private static final long[] GAPS_MS = {0, 5_000, 30_000};

    @Test
    void eachRetryArrivesItsGapAfterThePreviousFailure(LocalCloud cloud) throws Exception {
        Api api = new Api(cloud);
        var key = cloud.issueKey("schedule-bench", "enterprise");
        Map<String, String> pathById = new LinkedHashMap<>();
        long run = System.nanoTime();
        for (int i = 0; i < JOBS; i++) {
            String path = "/schedule-" + run + "-" + i;
            cloud.services().webhooks().respond(path, 503, Duration.ZERO);
            Api.Response created = api.post("/v1/images/generations", key.value(), "{\"model\":\"sdxl\",\"prompt\":\"bench "
                    + i + "\",\"webhook_url\":\"" + cloud.apiUrl() + "/_local/webhooks" + path + "\"}");
            assertThat(created.status()).as(created.toString()).isEqualTo(202);
            pathById.put(created.json().path("id").asText(), path);
        }
        Instant deadline = Instant.now().plusSeconds(120);
        List<List<Long>> deviations = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<List<Long>> gaps = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (Map.Entry<String, String> job : pathById.entrySet()) {
            List<WebhookReceiver.Delivery> attempts = cloud.services().webhooks().await(
                    d -> d.path().equals(job.getValue()), 3, Duration.between(Instant.now(), deadline));
            assertThat(attempts).as("attempts of " + job.getKey()).hasSize(3);
            JsonNode view = api.awaitJob(job.getKey(), key.value(), j -> j.path("webhook").path("attempts").size() == 3,
                    Duration.ofSeconds(10));
            JsonNode recorded = view.path("webhook").path("attempts");
            for (int a = 0; a < 3; a++) {
                Instant from = a == 0
                        ? Instant.parse(view.path("finished_at").asText())
                        : Instant.parse(recorded.get(a - 1).path("at").asText())
                                .plusMillis(recorded.get(a - 1).path("duration_ms").asLong());
                long gap = Duration.between(from, attempts.get(a).receivedAt()).toMillis();
                gaps.get(a).add(gap);
                deviations.get(a).add(gap - GAPS_MS[a]);
            }
            assertThat(view.path("webhook").path("attempts")).allSatisfy(a -> assertThat(a.path("status_code").asInt())
                    .isEqualTo(503));
            assertThat(view.path("status").asText()).as("the result stays in the status API").isEqualTo("succeeded");
        }

        Measurements out = new Measurements("webhook-schedule");
        out.line("%d jobs through the local cloud to an endpoint answering 503; gap = arrival at the endpoint minus"
                + " the moment the wait starts (the job's `finished_at` for attempt 1, the previous attempt's failure,"
                + " its recorded `at` + `duration_ms`, for the others); late = gap minus the promised gap;"
                + " milliseconds:", JOBS);
        out.line("");
        out.line("| attempt | due | gap p50 | gap min | gap max | late p50 | late p90 | late max |");
        out.line("|---|---|---:|---:|---:|---:|---:|---:|");
        for (int a = 0; a < 3; a++) {
            List<Long> g = gaps.get(a);
            List<Long> d = deviations.get(a);
            out.line("| %d | %s | %d | %d | %d | %d | %d | %d |", a + 1,
                    a == 0 ? "at the job's end" : "+" + GAPS_MS[a] / 1000 + " s after attempt " + a + " failed",
                    Measurements.quantile(g, 0.5), g.stream().mapToLong(Long::longValue).min().orElseThrow(),
                    g.stream().mapToLong(Long::longValue).max().orElseThrow(), Measurements.quantile(d, 0.5),
                    Measurements.quantile(d, 0.9), d.stream().mapToLong(Long::longValue).max().orElseThrow());
        }
        out.save();
        for (List<Long> d : deviations) {
            assertThat(d).as("an attempt is never made before it is due").allSatisfy(v -> assertThat(v).isGreaterThanOrEqualTo(0));
        }
    }
}
