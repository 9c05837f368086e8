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
 * million jobs at {@link CostModel#US_EAST_1}. Four paths: the happy path, one failover (the
 * first provider of the chain is down), three webhook attempts (the endpoint answers 503), and a
 * text-to-video job whose provider makes a 50 MB video. The S3 requests of each job's output copy are
 * counted with the rest; its storage is the outputs' size kept for the template's 30 days.
 */
@ExtendWith(LocalCloudExtension.class)
class CostBenchmark {
    private static final int JOBS = 12;
    private static final int OUTPUT_RETENTION_DAYS = 30;
    private static final long VIDEO_BYTES = 50L * 1024 * 1024;

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
        try (AutoCloseable fast = BenchSupport.zeroLatency(cloud, List.of("kling"))) {
            cloud.services().providers().configure("kling", new com.fasterxml.jackson.databind.ObjectMapper()
                    .createObjectNode().put("output_bytes", VIDEO_BYTES));
            rows.add(run(cloud, api, key, "text-to-video, 50 MB output (kling)", "kling", 200, 1));
        } finally {
            cloud.services().providers().configure("kling", new com.fasterxml.jackson.databind.ObjectMapper()
                    .createObjectNode().put("output_bytes", 0));
        }

        Measurements out = new Measurements("cost");
        out.line("%d jobs per path after a warm-up round, run one after another through the local cloud; counts per job. DynamoDB units are"
                + " what DynamoDB Local reported per call (a failed conditional write, for which it reports none, is billed"
                + " as 1 WRU); SQS requests include the event source mappings' receives that returned messages and their"
                + " deletes; Lambda GB-s = billed handler time x the template's MemorySize; HTTP API requests = ingress +"
                + " provider callbacks.", JOBS);
        out.line("");
        out.line("| path | Lambda invocations | Lambda GB-s | DynamoDB WRU | DynamoDB RRU | SQS requests | HTTP API requests |"
                + " Secrets Manager calls | S3 requests | output MB stored | $ per million jobs |");
        out.line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        rows.forEach(r -> out.line("| %s |", String.join(" | ", r)));
        out.line("");
        out.line("Dollars per million jobs by service (us-east-1 on-demand list prices: DynamoDB $0.625 per million WRU,"
                + " $0.125 per million RRU; SQS $0.40 per million requests; Lambda $0.20 per million requests +"
                + " $0.0000133334 per GB-s (arm64, as template.yaml declares); API Gateway HTTP API $1.00 per million; Secrets Manager $0.05 per 10,000"
                + " calls; S3 $0.005 per 1,000 PUT-class requests and $0.023 per GB-month, outputs kept %d days; no free tier):",
                OUTPUT_RETENTION_DAYS);
        out.line("");
        out.line("| path | DynamoDB | SQS | Lambda | API Gateway | Secrets Manager | S3 requests | S3 storage | total |");
        out.line("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        costs.forEach(c -> out.line("| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |", c.getKey(),
                c.getValue().get("DynamoDB"), c.getValue().get("SQS"), c.getValue().get("Lambda"),
                c.getValue().get("API Gateway"), c.getValue().get("Secrets Manager"), c.getValue().get("S3 requests"),
                c.getValue().get("S3 storage"), c.getValue().get("total")));
        out.line("");
        out.line("Not counted: customers downloading outputs, which S3 bills as GET requests ($0.0004 per 1,000) and data"
                + " transferred out to the internet ($0.09 per GB for the first 10 TB a month): one download of each output"
                + " adds $%.2f per million image jobs of the happy path and $%.0f per million 50 MB videos.",
                outputBytes.get(0) / (1024.0 * 1024 * 1024) * 0.09 * 1_000_000 + 0.4,
                VIDEO_BYTES / (1024.0 * 1024 * 1024) * 0.09 * 1_000_000 + 0.4);
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
    /** Output bytes per job of each run, in the order run. */
    private final List<Double> outputBytes = new ArrayList<>();
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
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            ids.add(BenchSupport.accepted(model.equals("kling")
                    ? api.post("/v1/video/generations", key, "{\"model\":\"kling\",\"prompt\":\"bench\",\"duration\":5,"
                            + "\"webhook_url\":\"" + cloud.apiUrl() + "/_local/webhooks" + path + "\"}")
                    : BenchSupport.submit(api, cloud, key, model, path)));
        }
        assertThat(cloud.services().webhooks().await(d -> d.path().equals(path), JOBS * attempts, Duration.ofSeconds(120)))
                .as("every job's webhook attempts arrived").hasSize(JOBS * attempts);
        awaitIdle(cloud);
        double seconds = (System.nanoTime() - started) / 1e9;
        double stored = 0;
        String bucket = cloud.runtime().function("DispatcherFunction").environment()
                .get(run.creativeai.gateway.adapters.Components.OUTPUTS_BUCKET);
        for (String id : ids) {
            for (com.fasterxml.jackson.databind.JsonNode o : api.get("/v1/generations/" + id, key).json().path("outputs")) {
                stored += o.path("size_bytes").asLong();
            }
            // The local S3 keeps objects in memory: the run's outputs go once measured.
            cloud.runtime().s3().listObjectsV2(b -> b.bucket(bucket).prefix("outputs/" + id + "/")).contents()
                    .forEach(obj -> cloud.runtime().s3().deleteObject(b -> b.bucket(bucket).key(obj.key())));
        }
        outputBytes.add(stored / JOBS);
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
        double s3 = 0;
        double empty = 0;
        for (var t : tallies.entrySet()) {
            String op = t.getKey().substring(t.getKey().indexOf(' ') + 1);
            AwsRequestMeter.Tally v = t.getValue();
            if (op.startsWith("S3.") && isS3Put(op)) {
                // A copy sends its parts from a thread of its own, not the function's: counted whoever sent them
                // (the benchmark itself only lists and deletes).
                s3 += v.calls.sum();
                continue;
            }
            if (t.getKey().startsWith("OTHER")) {
                continue;
            }
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
                gbSeconds / JOBS, httpApi / JOBS, secrets / JOBS, s3 / JOBS,
                CostModel.gbMonths(stored / JOBS, OUTPUT_RETENTION_DAYS));
        Map<String, Double> dollars = CostModel.US_EAST_1.perMillionJobs(usage);
        costs.add(Map.entry(name, dollars));
        return new String[] {name, f2(usage.lambdaInvocations()), String.format(java.util.Locale.ROOT, "%.4f", usage.gbSeconds()),
                f2(usage.writeUnits()), f2(usage.readUnits()), f2(usage.sqsRequests()), f2(usage.httpApiRequests()),
                f2(usage.secretsCalls()), f2(usage.s3Requests()), f2(stored / JOBS / (1024.0 * 1024)),
                f2(dollars.get("total"))};
    }

    /** The S3 requests billed as PUT-class (aborting an upload is free, like deletes). */
    private static boolean isS3Put(String op) {
        return op.endsWith(".PutObject") || op.endsWith(".CreateMultipartUpload") || op.endsWith(".UploadPart")
                || op.endsWith(".CompleteMultipartUpload");
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
