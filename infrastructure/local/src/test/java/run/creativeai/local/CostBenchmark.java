package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Billable AWS requests per job, counted (not estimated) by {@link AwsRequestMeter} on every SDK
 * call the functions and the event source mappings make while real jobs run through the local
 * cloud, plus Lambda invocations and billed duration from the local runtime; then dollars per
 * million jobs at {@link CostModel#US_EAST_1}. Three paths: the happy path, one failover (the
 * first provider of the chain is down), three webhook attempts (the endpoint answers 503).
 */
@ExtendWith(LocalCloudExtension.class)
class CostBenchmark {
    private static final int JOBS = 12;

    @Test
    void billableRequestsPerJobOnThreePaths(LocalCloud cloud) throws Exception {
        AwsRequestMeter.enable();
        Api api = new Api(cloud);
        String key = cloud.issueKey("cost-bench", "enterprise").value();
        List<String[]> rows = new ArrayList<>();
        Map<String, AwsRequestMeter.Tally> happyDetail;
        try (AutoCloseable fast = BenchSupport.zeroLatency(cloud, List.of("sdxl", "seedream", "flux"))) {
            // A first round warms the JVM (JIT, caches, connections), as a warm Lambda instance is; not counted.
            run(cloud, api, key, "warm-up", "sdxl", 200, 1);
            costs.clear();
            rows.add(run(cloud, api, key, "happy path (sdxl, webhook answered 200)", "sdxl", 200, 1));
            happyDetail = lastRun;
            BenchSupport.providerMode(cloud, "seedream", "down");
            try {
                rows.add(run(cloud, api, key, "one failover (seedream down, flux serves)", "seedream", 200, 1));
            } finally {
                BenchSupport.providerMode(cloud, "seedream", "up");
            }
            rows.add(run(cloud, api, key, "three webhook attempts (endpoint answers 503)", "sdxl", 503, 3));
        }

        Measurements out = new Measurements("cost");
        out.line("%d jobs per path after a warm-up round, run one after another through the local cloud; counts per job. DynamoDB units are"
                + " what DynamoDB Local reported per call (a failed conditional write, for which it reports none, is billed"
                + " as 1 WRU); SQS requests include the event source mappings' receives that returned messages and their"
                + " deletes; Lambda GB-s = billed handler time x the template's MemorySize; HTTP API requests = ingress +"
                + " provider callbacks.", JOBS);
        out.line("");
        out.line("| path | Lambda invocations | Lambda GB-s | DynamoDB WRU | DynamoDB RRU | SQS requests | HTTP API requests |"
                + " Secrets Manager calls | $ per million jobs |");
        out.line("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        rows.forEach(r -> out.line("| %s |", String.join(" | ", r)));
        out.line("");
        out.line("Dollars per million jobs by service (us-east-1 on-demand list prices: DynamoDB $0.625 per million WRU,"
                + " $0.125 per million RRU; SQS $0.40 per million requests; Lambda $0.20 per million requests +"
                + " $0.0000133334 per GB-s (arm64, as template.yaml declares); API Gateway HTTP API $1.00 per million; Secrets Manager $0.05 per 10,000"
                + " calls; no free tier):");
        out.line("");
        out.line("| path | DynamoDB | SQS | Lambda | API Gateway | Secrets Manager | total |");
        out.line("|---|---:|---:|---:|---:|---:|---:|");
        costs.forEach(c -> out.line("| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |", c.getKey(), c.getValue().get("DynamoDB"),
                c.getValue().get("SQS"), c.getValue().get("Lambda"), c.getValue().get("API Gateway"),
                c.getValue().get("Secrets Manager"), c.getValue().get("total")));
        out.line("");
        out.line("Calls per job on the happy path, by operation (F = functions, E = event source mappings):");
        out.line("");
        out.line("| caller and operation | calls / job | failed / job | WRU / job | RRU / job |");
        out.line("|---|---:|---:|---:|---:|");
        happyDetail.forEach((op, t) -> {
            if (!op.startsWith("OTHER")) {
                out.line("| %s | %.2f | %.2f | %.2f | %.2f |", op.replace("FUNCTION ", "F ").replace("EVENT_SOURCE ", "E "),
                        (t.calls.sum() - t.emptyReceives.sum()) / (double) JOBS, t.failed.sum() / (double) JOBS,
                        t.writeUnits.sum() / JOBS, t.readUnits.sum() / JOBS);
            }
        });
        out.line("");
        out.line("Not per job: each event source mapping's pollers also make empty long-poll receives while a queue is"
                + " idle (here %.1f a second over all queues; on Lambda, whose five pollers per queue long-poll for up to 20 s, about"
                + " %d requests a minute per idle queue, whatever the traffic).", idleReceivesPerSecond, 5 * 3);
        out.save();
    }

    private Map<String, AwsRequestMeter.Tally> lastRun;
    private final List<Map.Entry<String, Map<String, Double>>> costs = new ArrayList<>();
    private double idleReceivesPerSecond;

    private String[] run(LocalCloud cloud, Api api, String key, String name, String model, int webhookStatus,
            int attempts) throws Exception {
        awaitIdle(cloud);
        AwsRequestMeter.reset();
        Map<String, long[]> before = BenchSupport.functionCounters(cloud);
        long started = System.nanoTime();
        String path = "/cost-" + System.nanoTime();
        cloud.services().webhooks().respond(path, webhookStatus, Duration.ZERO);
        for (int i = 0; i < JOBS; i++) {
            BenchSupport.accepted(BenchSupport.submit(api, cloud, key, model, path));
        }
        assertThat(cloud.services().webhooks().await(d -> d.path().equals(path), JOBS * attempts, Duration.ofSeconds(120)))
                .as("every job's webhook attempts arrived").hasSize(JOBS * attempts);
        awaitIdle(cloud);
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, long[]> after = BenchSupport.functionCounters(cloud);
        Map<String, AwsRequestMeter.Tally> tallies = AwsRequestMeter.snapshot();
        lastRun = tallies;

        double invocations = 0;
        double gbSeconds = 0;
        double httpApi = 0;
        for (var f : after.entrySet()) {
            long calls = f.getValue()[0] - before.get(f.getKey())[0];
            invocations += calls;
            gbSeconds += CostModel.gbSeconds(f.getValue()[1] - before.get(f.getKey())[1], (int) f.getValue()[2]);
            if (f.getKey().startsWith("Ingress") || f.getKey().contains("Callback")) {
                httpApi += calls;
            }
        }
        double wru = 0;
        double rru = 0;
        double sqs = 0;
        double secrets = 0;
        double empty = 0;
        for (var t : tallies.entrySet()) {
            if (t.getKey().startsWith("OTHER")) {
                continue;
            }
            String op = t.getKey().substring(t.getKey().indexOf(' ') + 1);
            AwsRequestMeter.Tally v = t.getValue();
            if (op.startsWith("DynamoDb.")) {
                wru += v.writeUnits.sum() + (isWrite(op) ? v.failed.sum() : 0);
                rru += v.readUnits.sum();
            } else if (op.startsWith("Sqs.")) {
                sqs += v.calls.sum() - v.emptyReceives.sum();
                empty += v.emptyReceives.sum();
            } else if (op.startsWith("SecretsManager.")) {
                secrets += v.calls.sum();
            }
        }
        idleReceivesPerSecond = empty / seconds;
        CostModel.Usage usage = new CostModel.Usage(wru / JOBS, rru / JOBS, sqs / JOBS, invocations / JOBS,
                gbSeconds / JOBS, httpApi / JOBS, secrets / JOBS);
        Map<String, Double> dollars = CostModel.US_EAST_1.perMillionJobs(usage);
        costs.add(Map.entry(name, dollars));
        return new String[] {name, f2(usage.lambdaInvocations()), String.format(java.util.Locale.ROOT, "%.4f", usage.gbSeconds()),
                f2(usage.writeUnits()), f2(usage.readUnits()), f2(usage.sqsRequests()), f2(usage.httpApiRequests()),
                f2(usage.secretsCalls()), f2(dollars.get("total"))};
    }

    private static boolean isWrite(String op) {
        return op.endsWith("UpdateItem") || op.endsWith("PutItem") || op.endsWith("DeleteItem")
                || op.endsWith("TransactWriteItems");
    }

    /** The functions have stopped working: no invocation and no function call to AWS for a while. */
    private static void awaitIdle(LocalCloud cloud) {
        BenchSupport.awaitQuiet(() -> {
            long calls = AwsRequestMeter.snapshot().entrySet().stream().filter(e -> e.getKey().startsWith("FUNCTION"))
                    .mapToLong(e -> e.getValue().calls.sum()).sum();
            long invocations = BenchSupport.functionCounters(cloud).values().stream().mapToLong(v -> v[0]).sum();
            return calls + "/" + invocations;
        }, Duration.ofSeconds(3), Duration.ofSeconds(60));
    }

    private static String f2(double v) {
        return String.format(java.util.Locale.ROOT, "%.2f", v);
    }
}
