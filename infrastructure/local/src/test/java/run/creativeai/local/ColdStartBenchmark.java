package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.dispatch.DispatchMessages;
import run.creativeai.gateway.webhook.SigningSecret;
import run.creativeai.gateway.webhook.StandardWebhookSignature;
import run.creativeai.gateway.webhook.WebhookTask;
import run.creativeai.template.SamFunction;
import run.creativeai.template.Template;

/**
 * Cold start per function: a fresh JVM per measurement, started as the deployed function's is (Lambda's
 * default JVM flags for Java, through the package's launch script, which puts the function's jar on
 * the class path), environment as the local cloud gives the function, handling a real event against
 * the local services: time from launching the JVM to the first event handled, the jar's size, and the
 * same with priming run before the first event, as SnapStart's checkpoint runs it (the restore itself
 * cannot be measured here; what a restored instance still pays is the first event after priming).
 */
@ExtendWith(LocalCloudExtension.class)
class ColdStartBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Issue 14's targets: launch to the first real event in a fresh JVM, and the first real event after priming. */
    private static final long TARGET_FRESH_MS = 1000;
    private static final long TARGET_PRIMED_MS = 150;

    // Knobs for comparing builds by hand; the defaults are what benchmarks/run measures.
    /** Fresh JVMs per cell. */
    private static final int RUNS = Integer.getInteger("cold-start.runs", 3);
    /** A folder of another build's function jars (named as CodeUri names them): run interleaved with this build's. */
    private static final String BASELINE = System.getProperty("cold-start.baseline", "");
    /** Extra JVM flags for every run, e.g. {@code -Xlog:class+load:file=target/cold-start/%p.log}. */
    private static final String EXTRA_FLAGS = System.getProperty("cold-start.jvm", "");
    /** Only these functions (logical ids, comma-separated). */
    private static final String ONLY = System.getProperty("cold-start.functions", "");
    /**
     * Also write each function's {@code priming-classes.txt} (beside its handler class in the function's
     * sources): the classes its first real event loaded in one more unprimed run, which priming loads.
     */
    private static final boolean RECORD_CLASSES = Boolean.getBoolean("cold-start.record-classes");
    /**
     * Also start every function's JVMs on its class-data archive (on by default; {@code -Dcold-start.cds=false}
     * leaves it out), interleaved with the runs without one:
     * the package's launch script writes it first, in its training mode, as
     * {@code infrastructure/admin/class-archives} does on the runtime's JVM (here this JVM stands in for
     * it), and maps it in the measured runs.
     */
    private static final boolean CDS = Boolean.parseBoolean(System.getProperty("cold-start.cds", "true"));

    /** One point of a run: epoch milliseconds, classes loaded so far, process CPU milliseconds so far. */
    private record Step(long at, long classes, long cpu) {
    }

    /** One fresh JVM: when it was launched and started, and its steps (main entered, built, primed, first event, second event). */
    private record Run(long launched, long started, List<Step> steps) {
        long since(int step) {
            return steps.get(step).at() - launched;
        }

        long firstEvent() {
            return steps.get(3).at() - steps.get(2).at();
        }

        long secondEvent() {
            return steps.get(4).at() - steps.get(3).at();
        }
    }

    /** A build's function jars, started with or without a class-data archive of each function. */
    private record Build(String name, Path folder, boolean archived) {
        Path jar(SamFunction fn) {
            Path codeUri = LocalCloudExtension.projectRoot().resolve(fn.jar());
            return folder == null ? codeUri : folder.resolve(codeUri.getFileName());
        }
    }

    @Test
    void freshJvmToFirstHandledEvent(LocalCloud cloud) throws Exception {
        Template template = Template.load(LocalCloudExtension.projectRoot().resolve("template.yaml"));
        String key = cloud.issueKey(LocalCloudExtension.BENCH_TENANT, "enterprise").value();
        EndedJobs jobs = new EndedJobs(cloud);
        Path dir = Files.createDirectories(Path.of("target", "cold-start"));
        String webhookPath = "/cold-start-" + System.nanoTime();
        URI webhook = URI.create(cloud.apiUrl() + "/_local/webhooks" + webhookPath);
        List<Build> builds = new ArrayList<>();
        if (!BASELINE.isBlank()) {
            builds.add(new Build("baseline", Path.of(BASELINE), false));
        }
        builds.add(new Build("this", null, false));
        if (CDS) {
            builds.addAll(builds.stream().map(b -> new Build(b.name() + " + archive", b.folder(), true)).toList());
        }
        List<SamFunction> functions = SamFunction.all(template).stream()
                .filter(fn -> ONLY.isBlank() || List.of(ONLY.split(",")).contains(fn.logicalId())).toList();

        Measurements out = new Measurements("cold-start");
        out.line("Each cell: median of %d fresh JVMs (`java %s`), started as the deployed function's is: through"
                + " its package's launch script (`bin/launch`, Lambda's `AWS_LAMBDA_EXEC_WRAPPER`), which puts the"
                + " function's jar on the class path after the runtime's own (here aws-lambda-java-core and the event"
                + " serialization library), environment as the local cloud gives"
                + " the function, a real event against the local services (an admission; a job start that submits to"
                + " the simulated provider; a signed provider callback, accepted; a signed webhook delivery; a reconciler sweep; a status"
                + " run); milliseconds from launching the JVM.%s%s", RUNS, String.join(" ", FunctionLaunch.LAMBDA_FLAGS),
                EXTRA_FLAGS.isBlank() ? "" : " Extra flags: `" + EXTRA_FLAGS + "`.",
                CDS ? " Rows \"+ archive\": the same package with its class-data archive, `class-archive.jsa`, written"
                        + " before the measured runs by the launch script's training mode (`CLASS_ARCHIVE_TRAIN=1`:"
                        + " the handler built and primed, `-XX:ArchiveClassesAtExit`) as"
                        + " `infrastructure/admin/class-archives` writes it with the runtime's JVM, this JVM standing in"
                        + " for it, and mapped by the launch script in the measured runs, interleaved with the runs"
                        + " without one." : "");
        out.line("");
        Map<String, String> targets = new java.util.LinkedHashMap<>();
        List<String> detail = new ArrayList<>();
        detail.add("| function | build | priming | JVM up | handler built | priming done | first event done | first event"
                + " alone | classes loaded by then | of them by the first event | CPU ms by then | second event |");
        detail.add("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (SamFunction fn : functions) {
            Map<String, List<Run>> runs = new java.util.LinkedHashMap<>();
            for (Build build : builds) {
                if (build.archived()) {
                    train(fn, build.jar(fn), cloud.runtime().function(fn.logicalId()).environment());
                }
            }
            for (int i = 0; i < RUNS; i++) {
                for (boolean prime : new boolean[] {false, true}) {
                    for (Build build : builds) {
                        Path first = dir.resolve(fn.logicalId() + "-1.json");
                        Path second = dir.resolve(fn.logicalId() + "-2.json");
                        Files.writeString(first, event(fn.logicalId(), cloud, key, jobs, webhook));
                        Files.writeString(second, event(fn.logicalId(), cloud, key, jobs, webhook));
                        runs.computeIfAbsent(build.name() + (prime ? " primed" : " none"), k -> new ArrayList<>())
                                .add(launch(fn, build.jar(fn), build.archived(),
                                        cloud.runtime().function(fn.logicalId()).environment(), first, second, prime,
                                        List.of()));
                    }
                }
            }
            if (RECORD_CLASSES) {
                recordFirstEventClasses(fn, dir, cloud, key, jobs, webhook);
            }
            for (Build build : builds) {
                Run plain = median(runs.get(build.name() + " none"), r -> r.since(3));
                Run primed = median(runs.get(build.name() + " primed"), Run::firstEvent);
                for (Run m : List.of(plain, primed)) {
                    boolean isPrimed = m == primed;
                    detail.add(String.format(java.util.Locale.ROOT,
                            "| %s | %s | %s | %d | %d | %s | %d | %d | %d | %d | %d | %d |", fn.logicalId(),
                            build.name(), isPrimed ? "primed" : "none", m.since(0), m.since(1),
                            isPrimed ? Long.toString(m.since(2)) : "-", m.since(3), m.firstEvent(),
                            m.steps().get(3).classes(), m.steps().get(3).classes() - m.steps().get(2).classes(),
                            m.steps().get(3).cpu(), m.secondEvent()));
                }
                long fresh = plain.since(3);
                long afterPriming = primed.firstEvent();
                String verdict = (fresh <= TARGET_FRESH_MS ? "met" : "**missed** by " + (fresh - TARGET_FRESH_MS) + " ms")
                        + " / " + (afterPriming <= TARGET_PRIMED_MS ? "met"
                                : "**missed** by " + (afterPriming - TARGET_PRIMED_MS) + " ms");
                targets.put(fn.logicalId() + (builds.size() > 1 ? " (" + build.name() + ")" : ""),
                        String.format(java.util.Locale.ROOT, "| %.1f MB | **%d** | %d | **%d** | %d | %s |",
                                Files.size(build.jar(fn)) / 1e6, fresh, plain.steps().get(3).classes(), afterPriming,
                                primed.steps().get(3).classes() - primed.steps().get(2).classes(), verdict));
            }
        }
        out.line("| function | jar | **launch to first real event** (target <= %d ms) | classes loaded by then"
                + " | **first real event after priming** (target <= %d ms) | classes it loaded | target: fresh / primed |",
                TARGET_FRESH_MS, TARGET_PRIMED_MS);
        out.line("|---|---:|---:|---:|---:|---:|---|");
        targets.forEach((function, row) -> out.line("| %s %s", function, row));
        out.line("");
        detail.forEach(row -> out.line("%s", row));
        out.line("");
        out.line("Columns of the second table are cumulative milliseconds since the JVM was launched, except \"first event"
                + " alone\" and \"second event\" (each event's own duration), the class counts and \"CPU ms by then\" (CPU"
                + " time of every thread of the JVM until the first event was done: less sensitive than wall time to a"
                + " loaded machine). \"Launch to first real event\" is the unprimed run's \"first event done\"; \"first real"
                + " event after priming\" the primed run's \"first event alone\" (what a SnapStart-restored instance"
                + " still pays, the restore aside). Each is the median of its own runs.");
        out.save();
    }

    /**
     * One more unprimed run of this build with class loading logged: the classes loaded after the
     * handler was built until the first event was handled, less the probe's and the runtime's own
     * and the JVM's hidden classes, in the order they were loaded.
     */
    private static void recordFirstEventClasses(SamFunction fn, Path dir, LocalCloud cloud, String key, EndedJobs jobs,
            URI webhook) throws Exception {
        Path log = dir.resolve(fn.logicalId() + "-classes.log").toAbsolutePath();
        Files.deleteIfExists(log);
        Path first = dir.resolve(fn.logicalId() + "-1.json");
        Path second = dir.resolve(fn.logicalId() + "-2.json");
        Files.writeString(first, event(fn.logicalId(), cloud, key, jobs, webhook));
        Files.writeString(second, event(fn.logicalId(), cloud, key, jobs, webhook));
        Run run = launch(fn, LocalCloudExtension.projectRoot().resolve(fn.jar()), false,
                cloud.runtime().function(fn.logicalId()).environment(), first, second, false,
                List.of("-Xlog:class+load=info:file=" + log + ":uptime"));
        long from = run.steps().get(1).at() - run.started();
        long to = run.steps().get(3).at() - run.started();
        java.util.regex.Pattern line = java.util.regex.Pattern.compile("^\\[(\\d+\\.\\d+)s\\] (\\S+) source: .*");
        List<String> classes = new ArrayList<>();
        for (String l : Files.readAllLines(log)) {
            java.util.regex.Matcher m = line.matcher(l);
            if (!m.matches()) {
                continue;
            }
            double uptime = Double.parseDouble(m.group(1)) * 1000;
            String name = m.group(2);
            if (uptime >= from && uptime <= to && !name.contains("/") && !name.contains("$$Lambda")
                    && !name.startsWith("run.creativeai.local.") && !name.startsWith("org.joda.")
                    && !name.startsWith("com.amazonaws.services.lambda.runtime.serialization.")
                    && !name.startsWith("com.amazonaws.lambda.thirdparty.")) {
                classes.add(name);
            }
        }
        String handler = fn.handler().split("::")[0];
        Path module = LocalCloudExtension.projectRoot().resolve(fn.jar()).getParent().getParent();
        Path resource = module.resolve("src/main/resources").resolve(handler.substring(0, handler.lastIndexOf('.'))
                .replace('.', '/')).resolve("priming-classes.txt");
        Files.createDirectories(resource.getParent());
        Files.writeString(resource, String.join("\n", classes) + "\n");
        System.out.printf("%s: %d classes of its first event written to %s%n", fn.logicalId(), classes.size(), resource);
    }

    /** {@code flags} and the benchmark's extra flags ({@code -Dcold-start.jvm}). */
    private static List<String> extra(List<String> flags) {
        List<String> all = new ArrayList<>(flags);
        if (!EXTRA_FLAGS.isBlank()) {
            all.addAll(List.of(EXTRA_FLAGS.trim().split("\\s+")));
        }
        return all;
    }

    /**
     * The function's class-data archive, written into the package's archived copy by the launch script's
     * training mode, as {@code infrastructure/admin/class-archives} writes it (this JVM for the runtime's).
     */
    private static void train(SamFunction fn, Path jar, Map<String, String> environment) throws Exception {
        Path root = FunctionLaunch.packageRoot(jar, true);
        FunctionLaunch.Launched trained = FunctionLaunch.train(fn, root, environment, Duration.ofSeconds(120));
        assertThat(root.resolve(FunctionLaunch.ARCHIVE)).as("the class-data archive of %s:%n%s", fn.logicalId(),
                trained.output()).exists();
    }

    private static Run median(List<Run> runs, java.util.function.ToLongFunction<Run> by) {
        List<Run> sorted = new ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingLong(by));
        return sorted.get(sorted.size() / 2);
    }

    private static Run launch(SamFunction fn, Path jar, boolean archived, Map<String, String> environment, Path first,
            Path second, boolean prime, List<String> flags) throws Exception {
        Path root = FunctionLaunch.packageRoot(jar, archived);
        long launched = System.currentTimeMillis();
        FunctionLaunch.Launched run = FunctionLaunch.launch(root, FunctionLaunch.runtimeLine(fn, extra(flags), prime ? "prime" : "plain", first,
                second), environment, Duration.ofSeconds(60));
        String output = run.output();
        Files.writeString(first.resolveSibling(fn.logicalId() + "-" + run.pid() + ".out"), output);
        if (archived && output.contains("[warning][cds")) {
            throw new AssertionError(fn.logicalId() + ": its class-data archive did not map:\n" + output);
        }
        String line = output.lines().filter(l -> l.startsWith("COLDSTART ")).findFirst()
                .orElseThrow(() -> new AssertionError(fn.logicalId() + " printed no timings:\n" + output));
        long[] t = java.util.Arrays.stream(line.substring(10).trim().split(" ")).mapToLong(Long::parseLong).toArray();
        List<Step> steps = new ArrayList<>();
        for (int i = 1; i + 2 < t.length; i += 3) {
            steps.add(new Step(t[i], t[i + 1], t[i + 2]));
        }
        return new Run(launched, t[0], steps);
    }

    /** A real event for the function: one that does its main work against the local cloud. */
    private static String event(String function, LocalCloud cloud, String key, EndedJobs jobs, URI webhook)
            throws Exception {
        Path events = LocalCloudExtension.projectRoot().resolve("events");
        switch (function) {
            case "IngressFunction" -> {
                ObjectNode e = (ObjectNode) JSON.readTree(events.resolve("http/create-image.json").toFile());
                ((ObjectNode) e.get("headers")).put("authorization", "Bearer " + key);
                return JSON.writeValueAsString(e);
            }
            case "DispatcherFunction" -> {
                ObjectNode e = (ObjectNode) JSON.readTree(events.resolve("sqs/enterprise-jobs.json").toFile());
                ((ObjectNode) e.get("Records").get(0)).put("body",
                        DispatchMessages.start(jobs.queued(LocalCloudExtension.BENCH_TENANT).id()));
                return JSON.writeValueAsString(e);
            }
            case "WebhookFunction" -> {
                ObjectNode e = (ObjectNode) JSON.readTree(events.resolve("sqs/webhook-deliveries.json").toFile());
                ((ObjectNode) e.get("Records").get(0)).put("body",
                        new WebhookTask(jobs.succeeded(LocalCloudExtension.BENCH_TENANT, webhook).id(), 1).toMessage());
                return JSON.writeValueAsString(e);
            }
            case "ProviderCallbackFunction" -> {
                // The sample signed now with its provider's secret as the local cloud holds it: accepted,
                // so the function verifies it and sends the progress check it prompts, as a real one does.
                ObjectNode e = (ObjectNode) JSON.readTree(events.resolve("http/provider-callback.json").toFile());
                String provider = e.get("rawPath").asText().split("/")[3];
                String secrets = cloud.runtime().secretsManager().getSecretValue(b -> b.secretId(cloud.runtime()
                        .function("ProviderCallbackFunction").environment().get("PROVIDER_WEBHOOK_SECRETS"))).secretString();
                SigningSecret secret = new SigningSecret(JSON.readTree(secrets).path(provider).asText());
                byte[] body = e.get("body").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                long timestamp = java.time.Instant.now().getEpochSecond();
                ((ObjectNode) e.get("headers")).put("webhook-id", "msg_coldstart")
                        .put("webhook-timestamp", Long.toString(timestamp))
                        .put("webhook-signature", StandardWebhookSignature.sign(secret, "msg_coldstart", timestamp, body));
                return JSON.writeValueAsString(e);
            }
            case "ReconcilerFunction" -> {
                return Files.readString(events.resolve("schedule/reconciler-sweep.json"));
            }
            case "StatusFunction" -> {
                // Its schedule's event, as of now: one run measures, reconciles incidents and publishes.
                ObjectNode e = (ObjectNode) JSON.readTree(events.resolve("schedule/reconciler-sweep.json").toFile());
                e.put("time", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
                e.putArray("resources").add("arn:aws:events:eu-west-1:123456789012:rule/creativeai-StatusFunctionSample");
                return JSON.writeValueAsString(e);
            }
            default -> throw new IllegalStateException("no cold-start event for " + function
                    + " yet: give it a real one here");
        }
    }
}
