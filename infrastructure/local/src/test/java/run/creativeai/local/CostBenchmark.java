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
 * text-to-video job whose provider makes a 50 MB video. Each path includes the reconciler's share:
 * after its jobs are done, the reconciler's sweep is fired as of an hour later (every job of the path
 * is then past {@code ReconcileAfterSeconds}), and what it and the messages it sent cost beyond an
 * empty sweep is counted with the path. The schedule's own sweeps (one a minute, whatever the
 * traffic) are a fixed cost, reported apart. The S3 requests of each job's output copy are counted
 * with the rest; its storage is the outputs' size kept for the template's 30 days.
 */
@ExtendWith(LocalCloudExtension.class)
class CostBenchmark {
    private static final int JOBS = 12;
    /**
     * {@code -Dcost.happyPathOnly=true}: only the warm-up and the happy path, printed to the log and not
     * written as the report, for comparing two versions of the code quickly.
     */
    private static final boolean HAPPY_PATH_ONLY = Boolean.getBoolean("cost.happyPathOnly");
    private static final String RECONCILER = "ReconcilerFunction";
    private static final String STATUS = "StatusFunction";
    private static final int OUTPUT_RETENTION_DAYS = 30;
    private static final long VIDEO_BYTES = 50L * 1024 * 1024;

    @Test
    void billableRequestsPerJobOnThreePaths(LocalCloud cloud) throws Exception {
        AwsRequestMeter.enable();
        AwsRequestMeter.sweepsRunOn("lambda-" + RECONCILER);
        Api api = new Api(cloud);
        String key = cloud.issueKey("cost-bench", "enterprise").value();
        List<String[]> rows = new ArrayList<>();
        Map<String, Counted> happyDetail;
        // The status function's run every minute (its readings, a probe through each tier's queue, the document)
        // costs per minute whatever the traffic: left to its schedule it would land in some paths and not others.
        try (AutoCloseable quiet = cloud.runtime().schedule(STATUS, "Sample").pause();
                AutoCloseable fast = BenchSupport.zeroLatency(cloud, List.of("sdxl", "seedream", "flux"))) {
            // A first round warms the JVM (JIT, caches, connections), as a warm Lambda instance is; not counted.
            run(cloud, api, key, "warm-up", "sdxl", 200, 1);
            costs.clear();
            // Everything is settled now: a sweep finds nothing due, which is what every scheduled sweep costs.
            emptySweep = sweep(cloud);
            rows.add(run(cloud, api, key, "happy path (sdxl, webhook answered 200)", "sdxl", 200, 1));
            happyDetail = lastRun;
            happySites = lastSites;
            happyFunctions = lastFunctions;
            happyPuts = lastPuts;
            if (!HAPPY_PATH_ONLY) {
                BenchSupport.providerMode(cloud, "seedream", "down");
                try {
                    rows.add(run(cloud, api, key, "one failover (seedream down, flux serves)", "seedream", 200, 1));
                } finally {
                    BenchSupport.providerMode(cloud, "seedream", "up");
                }
                rows.add(run(cloud, api, key, "three webhook attempts (endpoint answers 503)", "sdxl", 503, 3));
            }
        }
        if (!HAPPY_PATH_ONLY) {
            try (AutoCloseable quiet = cloud.runtime().schedule(STATUS, "Sample").pause();
                    AutoCloseable fast = BenchSupport.zeroLatency(cloud, List.of("kling"))) {
                cloud.services().providers().configure("kling", new com.fasterxml.jackson.databind.ObjectMapper()
                        .createObjectNode().put("output_bytes", VIDEO_BYTES));
                rows.add(run(cloud, api, key, "text-to-video, 50 MB output (kling)", "kling", 200, 1));
            } finally {
                cloud.services().providers().configure("kling", new com.fasterxml.jackson.databind.ObjectMapper()
                        .createObjectNode().put("output_bytes", 0));
            }
        }

        Measurements out = new Measurements(HAPPY_PATH_ONLY ? "cost-happy-path" : "cost");
        out.line("%d jobs per path after a warm-up round, run one after another through the local cloud; counts per job. DynamoDB units are"
                + " what DynamoDB Local reported per call (a failed conditional write, for which it reports none, is billed"
                + " as 1 WRU), except a transaction's, billed from its items as AWS bills them (2 WRU per item per KB)"
                + " where DynamoDB Local reports 4 per table touched; SQS requests include the event source mappings' receives that returned messages and their"
                + " deletes; Lambda GB-s = billed handler time x the template's MemorySize, where the handler time is the"
                + " local handlers' wall-clock time on this machine (against DynamoDB Local and ElasticMQ, sharing the"
                + " cores with everything else running): an upper bound that grows with the machine's load, not what"
                + " Lambda would bill; HTTP API requests = the invocations of functions behind the HTTP API's routes (ingress: the providers' callbacks come on the callbacks function's own URL, which Lambda bills as invocations alone).", JOBS);
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
        out.line("| path | DynamoDB | SQS | Lambda | API Gateway | Secrets Manager | S3 requests | S3 storage | total |"
                + " total without the output copy |");
        out.line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        costs.forEach(c -> out.line("| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |", c.getKey(),
                c.getValue().get("DynamoDB"), c.getValue().get("SQS"), c.getValue().get("Lambda"),
                c.getValue().get("API Gateway"), c.getValue().get("Secrets Manager"), c.getValue().get("S3 requests"),
                c.getValue().get("S3 storage"), c.getValue().get("total"),
                c.getValue().get("total") - c.getValue().get("S3 requests") - c.getValue().get("S3 storage")));
        out.line("");
        out.line("The last column leaves out the output copy's S3 requests and its %d days' storage (the outputs"
                + " feature's own cost), not the Lambda time the copy takes.", OUTPUT_RETENTION_DAYS);
        out.line("");
        out.line("Not counted: customers downloading outputs, which S3 bills as GET requests ($0.0004 per 1,000) and data"
                + " transferred out to the internet ($0.09 per GB for the first 10 TB a month): one download of each output"
                + " adds $%.2f per million image jobs of the happy path and $%.0f per million 50 MB videos.",
                outputBytes.get(0) / (1024.0 * 1024 * 1024) * 0.09 * 1_000_000 + 0.4,
                VIDEO_BYTES / (1024.0 * 1024 * 1024) * 0.09 * 1_000_000 + 0.4);
        out.line("");
        out.line("Calls per job on the happy path, by operation (F = functions, E = event source mappings, R = the"
                + " reconciler's sweep beyond an empty one):");
        out.line("");
        out.line("| caller and operation | calls / job | failed / job | WRU / job | RRU / job |");
        out.line("|---|---:|---:|---:|---:|");
        happyDetail.forEach((op, t) -> {
            if (!op.startsWith("OTHER") && (t.calls() > 0 || t.wru() > 0 || t.rru() > 0)) {
                out.line("| %s | %.2f | %.2f | %.2f | %.2f |", op.replace("FUNCTION ", "F ").replace("EVENT_SOURCE ", "E ")
                        .replace("SWEEP ", "R "), (t.calls() - t.emptyReceives()) / JOBS, t.failed() / JOBS, t.wru() / JOBS,
                        t.rru() / JOBS);
            }
        });
        out.line("");
        out.line("The same calls by call site (the table or queue, the adapter method that made the call, and the"
                + " domain code that asked for it), with each call's median time in this run, from the SDK's start of"
                + " it to its answer read: the local services' answers under the pipeline's load, which the functions'"
                + " billed time above waits on (`benchmarks/run aws-calls` times the same calls made alone):");
        out.line("");
        out.line("| caller and operation | target <- call site | calls / job | failed / job | WRU / job | RRU / job | median ms |");
        out.line("|---|---|---:|---:|---:|---:|---:|");
        happySites.forEach((site, t) -> {
            boolean counted = t.calls() - t.emptyReceives() > 0 || t.wru() > 0 || t.rru() > 0;
            if (!site.startsWith("OTHER") && !site.startsWith("UNITS") && counted) {
                String[] parts = site.split(" ", 3);
                out.line("| %s %s | %s | %.2f | %.2f | %.2f | %.2f | %s |", parts[0].replace("FUNCTION", "F")
                        .replace("EVENT_SOURCE", "E").replace("SWEEP", "R"), parts[1], parts[2].replace("|", "/"),
                        (t.calls() - t.emptyReceives()) / JOBS, t.failed() / JOBS, t.wru() / JOBS, t.rru() / JOBS,
                        parts[0].equals("EVENT_SOURCE") || Double.isNaN(t.medianMillis()) ? "-"
                                : String.format(java.util.Locale.ROOT, "%.1f", t.medianMillis()));
            }
        });
        out.line("");
        out.line("Write units of each transaction above by table, as AWS bills them: each item twice its size in KB, rounded"
                + " up, an index entry counted the same way (DynamoDB Local reports 4 units per table and per index a"
                + " transaction touches, whatever the number and size of its items up to 1 KB; see TransactionUnits):");
        out.line("");
        out.line("| transaction [table] | WRU / job |");
        out.line("|---|---:|");
        happySites.forEach((site, t) -> {
            if (site.startsWith("UNITS")) {
                out.line("| %s | %.2f |", site.substring(site.indexOf("<- ") + 3).replace("|", "/"), t.wru() / JOBS);
            }
        });
        out.line("");
        out.line("Items put on the happy path, by table (an item's size as DynamoDB counts it: a standard write unit covers"
                + " 1 KB, a transactional one 1 KB at twice the price):");
        out.line("");
        out.line("| table | items put / job | mean bytes | largest |");
        out.line("|---|---:|---:|---:|");
        happyPuts.forEach((table, sizes) -> out.line("| %s | %.2f | %.0f | %d |", table, sizes.getCount() / (double) JOBS,
                sizes.getAverage(), sizes.getMax()));
        out.line("");
        out.line("Per function on the happy path (invocations and billed milliseconds per job; the reconciler's are its"
                + " sweep's time beyond an empty sweep's):");
        out.line("");
        out.line("| function | invocations / job | billed ms / job |");
        out.line("|---|---:|---:|");
        happyFunctions.forEach((function, v) -> out.line("| %s | %.2f | %.1f |", function, v[0], v[1]));
        out.line("");
        out.line("Not per job: the reconciler's schedule sweeps the index once a minute whatever the traffic; a sweep"
                + " that finds nothing due made %d calls (%s) and ran %d ms here, about $%.2f a month at these prices.",
                emptySweep.calls(), emptySweep.describe(), emptySweep.billedMillis(), monthlyEmptySweeps(cloud));
        out.line("");
        out.line("Not per job, and paused while the paths ran: the status function's run every minute (its readings,"
                + " a probe through each tier's queue, which the dispatcher receives, and the status document).");
        out.line("");
        out.line("Not per job: each event source mapping's pollers also make empty long-poll receives while a queue is"
                + " idle (here %.1f a second over all queues; on Lambda, whose five pollers per queue long-poll for up to 20 s, about"
                + " %d requests a minute per idle queue, whatever the traffic).", idleReceivesPerSecond, 5 * 3);
        out.save();
    }

    private Map<String, Counted> lastRun;
    private Map<String, Counted> lastSites;
    private Map<String, Counted> happySites;
    private Map<String, double[]> lastFunctions;
    private Map<String, double[]> happyFunctions;
    private Map<String, java.util.LongSummaryStatistics> lastPuts = Map.of();
    private Map<String, java.util.LongSummaryStatistics> happyPuts = Map.of();
    /** Output bytes per job of each run, in the order run. */
    private final List<Double> outputBytes = new ArrayList<>();
    private final List<Map.Entry<String, Map<String, Double>>> costs = new ArrayList<>();
    private double idleReceivesPerSecond;
    private Sweep emptySweep = new Sweep(Map.of(), Map.of(), 0);

    /** One operation's counts, copied out of the meter. */
    record Counted(double calls, double failed, double emptyReceives, double wru, double rru, double medianMillis) {
        static final Counted NONE = new Counted(0, 0, 0, 0, 0, Double.NaN);

        static Counted of(AwsRequestMeter.Tally t) {
            return new Counted(t.calls.sum(), t.failed.sum(), t.emptyReceives.sum(), t.writeUnits.sum(), t.readUnits.sum(),
                    t.medianMillis());
        }

        /** The counts of the calls made after {@code o}; the median is of every call timed (a difference has none). */
        Counted minus(Counted o) {
            return new Counted(calls - o.calls, failed - o.failed, emptyReceives - o.emptyReceives, wru - o.wru, rru - o.rru,
                    medianMillis);
        }

        Counted plus(Counted o) {
            return new Counted(calls + o.calls, failed + o.failed, emptyReceives + o.emptyReceives, wru + o.wru, rru + o.rru,
                    Double.isNaN(medianMillis) ? o.medianMillis : medianMillis);
        }
    }

    /** What one reconciler sweep did itself: its calls by operation and its billed time. */
    record Sweep(Map<String, Counted> byOperation, Map<String, Counted> bySite, long billedMillis) {
        int calls() {
            return (int) byOperation.values().stream().mapToDouble(Counted::calls).sum();
        }

        String describe() {
            List<String> parts = new ArrayList<>();
            byOperation.forEach((op, c) -> {
                if (c.calls() > 0) {
                    parts.add(String.format(java.util.Locale.ROOT, "%.0f %s", c.calls(), op.substring(op.indexOf(' ') + 1)));
                }
            });
            return String.join(", ", parts);
        }
    }

    private static Map<String, Counted> counted(String prefix) {
        return counted(AwsRequestMeter.snapshot(), prefix);
    }

    private static Map<String, Counted> counted(Map<String, AwsRequestMeter.Tally> tallies, String prefix) {
        Map<String, Counted> out = new java.util.TreeMap<>();
        tallies.forEach((op, t) -> {
            if (op.startsWith(prefix)) {
                out.put(op, Counted.of(t));
            }
        });
        return out;
    }

    private static Map<String, Counted> minus(Map<String, Counted> after, Map<String, Counted> before) {
        Map<String, Counted> out = new java.util.TreeMap<>();
        after.forEach((op, c) -> out.put(op, c.minus(before.getOrDefault(op, Counted.NONE))));
        return out;
    }

    /** Fires the reconciler's sweep as of an hour from now and measures what the sweep itself did. */
    private static Sweep sweep(LocalCloud cloud) throws Exception {
        Map<String, Counted> before = counted("SWEEP");
        Map<String, Counted> sitesBefore = counted(AwsRequestMeter.sites(), "SWEEP");
        long billed = cloud.runtime().function(RECONCILER).billedMillis();
        cloud.runtime().schedule(RECONCILER, "Sweep").fire(java.time.Instant.now().plus(Duration.ofHours(1)));
        return new Sweep(minus(counted("SWEEP"), before), minus(counted(AwsRequestMeter.sites(), "SWEEP"), sitesBefore),
                cloud.runtime().function(RECONCILER).billedMillis() - billed);
    }

    private double monthlyEmptySweeps(LocalCloud cloud) {
        double rru = emptySweep.byOperation().values().stream().mapToDouble(Counted::rru).sum();
        double gbSeconds = CostModel.gbSeconds(emptySweep.billedMillis(), cloud.runtime().function(RECONCILER)
                .function().memoryMb());
        double perSweep = rru * CostModel.US_EAST_1.perMillionRru() / 1e6 + CostModel.US_EAST_1.perMillionLambda() / 1e6
                + gbSeconds * CostModel.US_EAST_1.perGbSecond();
        return perSweep * 60 * 24 * 30;
    }

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
        assertThat(cloud.services().webhooks().await(d -> d.path().equals(path), JOBS * attempts, Duration.ofSeconds(300)))
                .as("every job's webhook attempts arrived").hasSize(JOBS * attempts);
        awaitIdle(cloud);
        double seconds = (System.nanoTime() - started) / 1e9;
        // The reconciler's share: its sweep once these jobs are past ReconcileAfterSeconds, and the work it sent.
        Sweep sweep = sweep(cloud);
        awaitIdle(cloud);
        // Counted before the outputs are measured: that reads each job back through the API, which no job does.
        Map<String, long[]> after = BenchSupport.functionCounters(cloud);
        Map<String, Counted> tallies = new java.util.TreeMap<>();
        counted("").forEach((op, c) -> {
            if (!op.startsWith("SWEEP")) {
                tallies.put(op, c);
            }
        });
        // Only what the fired sweep did beyond an empty one: the schedule's own sweeps are not per job.
        minus(sweep.byOperation(), emptySweep.byOperation()).forEach((op, c) -> tallies.merge(op, c, Counted::plus));
        lastRun = tallies;
        lastPuts = AwsRequestMeter.putBytes();
        Map<String, Counted> sites = counted(AwsRequestMeter.sites(), "");
        sites.keySet().removeIf(site -> site.startsWith("SWEEP"));
        minus(sweep.bySite(), emptySweep.bySite()).forEach((site, c) -> sites.merge(site, c, Counted::plus));
        lastSites = sites;
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

        double invocations = 0;
        double gbSeconds = 0;
        double httpApi = 0;
        Map<String, double[]> functions = new java.util.LinkedHashMap<>();
        for (var f : after.entrySet()) {
            long calls = f.getValue()[0] - before.get(f.getKey())[0];
            long billed = f.getValue()[1] - before.get(f.getKey())[1];
            if (f.getKey().equals(RECONCILER)) {
                calls = 0;
                billed = Math.max(0, sweep.billedMillis() - emptySweep.billedMillis());
            }
            invocations += calls;
            gbSeconds += CostModel.gbSeconds(billed, (int) f.getValue()[2]);
            functions.put(f.getKey(), new double[] {calls / (double) JOBS, billed / (double) JOBS});
            // API Gateway bills the requests to its routes; a function URL's are billed as invocations alone.
            if (!cloud.runtime().function(f.getKey()).function().routes().isEmpty()) {
                httpApi += calls;
            }
        }
        lastFunctions = functions;
        double wru = 0;
        double rru = 0;
        double sqs = 0;
        double secrets = 0;
        double s3 = 0;
        double empty = 0;
        for (var t : tallies.entrySet()) {
            String op = t.getKey().substring(t.getKey().indexOf(' ') + 1);
            Counted v = t.getValue();
            if (op.startsWith("S3.") && isS3Put(op)) {
                // A copy sends its parts from a thread of its own, not the function's: counted whoever sent them
                // (the benchmark itself only lists and deletes).
                s3 += v.calls();
                continue;
            }
            if (t.getKey().startsWith("OTHER")) {
                continue;
            }
            if (op.startsWith("DynamoDb.")) {
                wru += v.wru() + (isWrite(op) ? v.failed() : 0);
                rru += v.rru();
            } else if (op.startsWith("Sqs.")) {
                sqs += v.calls() - v.emptyReceives();
                empty += v.emptyReceives();
            } else if (op.startsWith("SecretsManager.")) {
                secrets += v.calls();
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
