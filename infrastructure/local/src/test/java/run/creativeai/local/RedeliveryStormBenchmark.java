package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.webhook.WebhookTask;

/**
 * Deliveries per event under redelivery storms: for each of several ended jobs, many copies of its
 * webhook messages (scheduled attempts 1-3 and requested redeliveries) are sent concurrently to the
 * webhook queue and consumed by the real webhook function, against an endpoint that answers 200
 * slowly; then a second wave arrives after the first 2xx. Each event must reach the endpoint once.
 */
@ExtendWith(LocalCloudExtension.class)
class RedeliveryStormBenchmark {
    private static final int EVENTS = 10;
    private static final int COPIES = 60;

    @Test
    void everyEventIsPostedOnceWhateverTheNumberOfCopies(LocalCloud cloud) throws Exception {
        cloud.issueKey("storm-bench", "pro");
        EndedJobs ended = new EndedJobs(cloud);
        List<Job> jobs = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            String path = "/storm-bench-" + System.nanoTime() + "-" + i;
            cloud.services().webhooks().respond(path, 200, Duration.ofMillis(200));
            jobs.add(ended.succeeded("storm-bench", URI.create(cloud.apiUrl() + "/_local/webhooks" + path)));
            paths.add(path);
        }
        List<WebhookTask> wave = new ArrayList<>();
        for (Job job : jobs) {
            for (int c = 0; c < COPIES; c++) {
                wave.add(switch (c % 4) {
                    case 0, 1 -> new WebhookTask(job.id(), 1);
                    case 2 -> new WebhookTask(job.id(), 1 + c % 3);
                    default -> WebhookTask.requested(job.id());
                });
            }
        }
        Collections.shuffle(wave);
        long start = System.nanoTime();
        ended.enqueueConcurrently(wave);
        ended.awaitQueueDrained(Duration.ofSeconds(120));
        long firstWaveMs = (System.nanoTime() - start) / 1_000_000;
        ended.enqueueConcurrently(wave.subList(0, wave.size() / 4));
        ended.awaitQueueDrained(Duration.ofSeconds(120));

        Map<Integer, Integer> histogram = new TreeMap<>();
        for (String path : paths) {
            histogram.merge(cloud.services().webhooks().deliveries(path).size(), 1, Integer::sum);
        }
        Measurements out = new Measurements("redelivery-storm");
        out.line("| events | copies per event, first wave | copies after the first 2xx | queue messages | deliveries per event"
                + " (deliveries: events) | first wave drained in |");
        out.line("|---:|---:|---:|---:|---|---:|");
        out.line("| %d | %d | %d | %d | %s | %.1f s |", EVENTS, COPIES, wave.size() / 4, wave.size() + wave.size() / 4,
                histogram.toString().replace("=", ": "), firstWaveMs / 1000.0);
        out.save();
        assertThat(histogram).as("deliveries per event").isEqualTo(Map.of(1, EVENTS));
    }
}
