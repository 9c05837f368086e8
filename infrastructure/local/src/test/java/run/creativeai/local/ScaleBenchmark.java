package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Real time and a local cloud of its own, so not in the default suite: a many-tenant load through
 * the local cloud with every provider saturated, counting reads and writes per DynamoDB item and
 * messages per SQS queue, second by second ({@link ItemTrafficMeter}). 1,000 tenants over the five
 * bundled plans (a few with custom limits), a steady stream of image and video jobs with two bursts
 * on top, providers whose gateway capacity and own capacity are a few slots each, so jobs wait for
 * slots the whole time, as every provider does at seed scale. The load is bounded in requests and
 * seconds, and goes only to loopback.
 */
class ScaleBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = 14;
    private static final int TENANTS = 1_000;
    private static final int ISSUERS = 8;
    /** Plans and how many of the 1,000 tenants are on each. */
    private static final Map<String, Integer> PLANS = plans();
    private static final int CUSTOM_TENANTS = 5;
    private static final int STEADY_SECONDS = 40;
    private static final int STEADY_PER_SECOND = 6;
    private static final int[] BURST_AT_SECONDS = {10, 25};
    private static final int BURST = 120;
    private static final int SENDERS = 16;
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(60);
    private static final List<String> IMAGE_MODELS = List.of("seedream", "flux", "sdxl");
    private static final List<String> VIDEO_MODELS = List.of("kling", "seedance", "vidu");
    /** The gateway's slots per provider in this run, and the provider's own capacity: the same, so both are full. */
    private static final int IMAGE_SLOTS = 6;
    private static final int VIDEO_SLOTS = 3;
    private static final long IMAGE_MS = 1_200;
    /** Seed 000's 45 s video scaled down 7.5x so a round ends in minutes. */
    private static final long VIDEO_MS = 6_000;
    private static final int TOP = 15;
    private static final int STANDARD_IMAGE_CAP = 24;
    private static final int STANDARD_VIDEO_CAP = 12;

    private static Map<String, Integer> plans() {
        Map<String, Integer> plans = new LinkedHashMap<>();
        plans.put("free", 400);
        plans.put("pro", 200);
        plans.put("starter", 180);
        plans.put("professional", 120);
        plans.put("enterprise", 100);
        return plans;
    }

    /**
     * The same load twice: every pool in one item (one per provider, one per standard-tier cap), then
     * split as the template splits them at seed scale, scaled down with the capacities (a shard of a
     * provider's 100 slots holds 16 of them; here a provider has 6 or 3, so a shard holds 2).
     */
    @Test
    void hottestItemsAndQueuesUnderAManyTenantLoad() throws Exception {
        Measurements out = new Measurements("scale");
        out.line("### Every pool in one item (`ProviderSlotsPerShard` 1000, `TierCapShards` 1)");
        out.line("");
        Round whole = round(Map.of("ProviderSlotsPerShard", "1000", "TierCapShards", "1"));
        report(out, whole);
        out.line("### Pools split (`ProviderSlotsPerShard` 2, `TierCapShards` 4: the template's split at seed scale,"
                + " scaled down with the capacities)");
        out.line("");
        Round split = round(Map.of("ProviderSlotsPerShard", "2", "TierCapShards", "4"));
        report(out, split);
        compare(out, whole, split);
        out.save();
    }

    /** What one round measured. */
    record Round(String label, Map<String, Integer> answers, int admitted, long seconds,
            Map<String, ItemTrafficMeter.Traffic> items, Map<String, ItemTrafficMeter.Traffic> queues,
            Map<String, String> poolSizes) {
    }

    private Round round(Map<String, String> parameters) throws Exception {
        Map<String, String> params = new LinkedHashMap<>(parameters);
        params.put("PlanConfig", planConfig());
        params.put("ProviderCapacity", capacities());
        params.put("StandardTierImageJobs", Integer.toString(STANDARD_IMAGE_CAP));
        params.put("StandardTierVideoJobs", Integer.toString(STANDARD_VIDEO_CAP));
        LocalCloud cloud = LocalCloud.start(new LocalCloud.Options(LocalCloudExtension.projectRoot().resolve("template.yaml"),
                0, Optional.empty(), params));
        try (cloud) {
            for (String model : IMAGE_MODELS) {
                configure(cloud, model, IMAGE_SLOTS, IMAGE_MS);
            }
            for (String model : VIDEO_MODELS) {
                configure(cloud, model, VIDEO_SLOTS, VIDEO_MS);
            }
            List<String> keys = issueKeys(cloud);
            Api api = new Api(cloud);
            Random random = new Random(SEED);
            List<Request> requests = new ArrayList<>();
            for (int s = 0; s < STEADY_SECONDS; s++) {
                for (int i = 0; i < STEADY_PER_SECOND; i++) {
                    requests.add(request(random, keys, cloud.apiUrl() + "/_local/webhooks/scale", s * 1000L + i * 1000L / STEADY_PER_SECOND));
                }
                for (int at : BURST_AT_SECONDS) {
                    if (at == s) {
                        for (int i = 0; i < BURST; i++) {
                            requests.add(request(random, keys, cloud.apiUrl() + "/_local/webhooks/scale", s * 1000L));
                        }
                    }
                }
            }
            requests.sort(Comparator.comparingLong(Request::atMs));
            Map<String, Integer> answers = new ConcurrentHashMap<>();
            AtomicInteger admitted = new AtomicInteger();
            ScheduledExecutorService senders = Executors.newScheduledThreadPool(SENDERS);
            ItemTrafficMeter.start();
            long start = System.currentTimeMillis();
            try {
                List<Future<?>> sent = new ArrayList<>();
                for (Request r : requests) {
                    sent.add(senders.schedule(() -> {
                        Api.Response response = api.post(r.path(), r.key(), r.body());
                        answers.merge(Integer.toString(response.status()), 1, Integer::sum);
                        if (response.status() == 202) {
                            admitted.incrementAndGet();
                        }
                    }, r.atMs(), TimeUnit.MILLISECONDS));
                }
                for (Future<?> f : sent) {
                    f.get(5, TimeUnit.MINUTES);
                }
                Map<String, String> poolSizes = poolSizes(cloud);
                // Let the saturated providers work off what was admitted, within a bound.
                try {
                    await("the tier queues are empty").atMost(DRAIN_LIMIT).pollInterval(Duration.ofMillis(500))
                            .until(() -> queued(cloud) == 0);
                } catch (ConditionTimeoutException e) {
                    // Bounded: the round ends with jobs still waiting, and says how long it ran.
                }
                ItemTrafficMeter.stop();
                long seconds = Math.max(1, (System.currentTimeMillis() - start) / 1000);
                return new Round(parameters.isEmpty() ? "as configured" : parameters.toString(), new LinkedHashMap<>(answers),
                        admitted.get(), seconds, ItemTrafficMeter.items(), ItemTrafficMeter.queues(), poolSizes);
            } finally {
                ItemTrafficMeter.stop();
                senders.shutdownNow();
            }
        }
    }

    record Request(long atMs, String key, String path, String body) {
    }

    private static Request request(Random random, List<String> keys, String webhookUrl, long atMs) {
        String key = keys.get(random.nextInt(keys.size()));
        String webhook = random.nextBoolean() ? ",\"webhook_url\":\"" + webhookUrl + "\"" : "";
        if (random.nextInt(4) == 0) {
            return new Request(atMs, key, "/v1/video/generations", "{\"model\":\"" + VIDEO_MODELS.get(random.nextInt(3))
                    + "\",\"prompt\":\"scale\",\"duration\":5}");
        }
        return new Request(atMs, key, "/v1/images/generations", "{\"model\":\"" + IMAGE_MODELS.get(random.nextInt(3))
                + "\",\"prompt\":\"scale\"" + webhook + "}");
    }

    private static List<String> issueKeys(LocalCloud cloud) throws Exception {
        List<String[]> tenants = new ArrayList<>();
        int n = 0;
        for (Map.Entry<String, Integer> plan : PLANS.entrySet()) {
            for (int i = 0; i < plan.getValue(); i++) {
                tenants.add(new String[] {tenant(n++), plan.getKey()});
            }
        }
        ExecutorService issuers = Executors.newFixedThreadPool(ISSUERS);
        try {
            List<Future<String>> keys = new ArrayList<>();
            for (String[] t : tenants) {
                keys.add(issuers.submit(() -> cloud.issueKey(t[0], t[1]).value()));
            }
            List<String> out = new ArrayList<>();
            for (Future<String> k : keys) {
                out.add(k.get(5, TimeUnit.MINUTES));
            }
            return out;
        } finally {
            issuers.shutdownNow();
        }
    }

    private static String tenant(int n) {
        return String.format(Locale.ROOT, "scale-%04d", n);
    }

    /** The bundled plans, with custom limits on a few tenants of each paid plan, as an operator sets them. */
    private static String planConfig() throws Exception {
        ObjectNode plans = (ObjectNode) JSON.readTree(LocalCloudExtension.planConfig());
        ObjectNode tenants = (ObjectNode) plans.get("tenants");
        for (int i = 0; i < CUSTOM_TENANTS; i++) {
            tenants.putObject(tenant(TENANTS - 1 - i)).put("requests_per_minute", 5_000).put("concurrent_tasks", 500);
            tenants.putObject(tenant(400 + i)).put("concurrent_tasks", 2);
        }
        return JSON.writeValueAsString(plans);
    }

    private static String capacities() {
        ObjectNode capacities = JSON.createObjectNode();
        IMAGE_MODELS.forEach(m -> capacities.put(m, IMAGE_SLOTS));
        VIDEO_MODELS.forEach(m -> capacities.put(m, VIDEO_SLOTS));
        return capacities.toString();
    }

    private static void configure(LocalCloud cloud, String provider, int capacity, long latencyMs) {
        cloud.services().providers().configure(provider, JSON.createObjectNode().put("mode", "up")
                .put("capacity", capacity).put("latency_ms", latencyMs));
    }

    private static int queued(LocalCloud cloud) {
        int depth = 0;
        for (String url : cloud.runtime().sqs().listQueues().queueUrls()) {
            String name = url.toLowerCase(Locale.ROOT);
            boolean tierQueue = name.endsWith("enterprisequeue") || name.endsWith("proqueue") || name.endsWith("freequeue");
            if (tierQueue) {
                depth += cloud.runtime().sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                        software.amazon.awssdk.services.sqs.model.QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        software.amazon.awssdk.services.sqs.model.QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                        .attributes().values().stream().mapToInt(Integer::parseInt).sum();
            }
        }
        return depth;
    }

    /** Size (DynamoDB's measure: names and values) and holders (or, counted, buckets and jobs) of every slot pool item, while the load is on. */
    private static Map<String, String> poolSizes(LocalCloud cloud) {
        String table = cloud.runtime().resources().tableName("LimitCountersTable");
        Map<String, String> out = new java.util.TreeMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = cloud.runtime().dynamoDb().scan(b -> b.tableName(table).exclusiveStartKey(from));
            for (Map<String, AttributeValue> item : page.items()) {
                String pk = item.get("pk").s();
                if (pk.startsWith("slots#provider") || pk.startsWith("slots#tier")) {
                    long holders = item.keySet().stream().filter(k -> k.startsWith("h#")).count();
                    List<String> buckets = item.keySet().stream().filter(k -> k.startsWith("c#")).toList();
                    long now = java.time.Instant.now().getEpochSecond();
                    long counted = buckets.stream().filter(k -> Long.parseLong(k.substring(k.lastIndexOf('#') + 1)) > now)
                            .mapToLong(k -> Long.parseLong(item.get(k).n())).sum();
                    out.put(pk, TransactionUnits.bytes(item) + " B, " + (buckets.isEmpty() ? holders + " holders"
                            : buckets.size() + " buckets, " + counted + " waiting"));
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    /** Per item (or queue): totals over the round, and the busiest second. */
    record Rates(String name, double reads, double writes, double refused, double rcu, double wcu, double peakWrites,
            double peakWcu, double peakReads, double peakRcu, double sent, double received, double requests,
            double peakSent, double peakReceived) {
        static Rates of(String name, ItemTrafficMeter.Traffic t) {
            double reads = 0, writes = 0, refused = 0, rcu = 0, wcu = 0, pw = 0, pwcu = 0, pr = 0, prcu = 0;
            double sent = 0, received = 0, requests = 0, ps = 0, prc = 0;
            for (ItemTrafficMeter.Second s : t.seconds.values()) {
                reads += s.reads.sum();
                writes += s.writes.sum();
                refused += s.refused.sum();
                rcu += s.readUnits.sum();
                wcu += s.writeUnits.sum();
                sent += s.sent.sum();
                received += s.received.sum();
                requests += s.requests.sum();
                pw = Math.max(pw, s.writes.sum());
                pwcu = Math.max(pwcu, s.writeUnits.sum());
                pr = Math.max(pr, s.reads.sum());
                prcu = Math.max(prcu, s.readUnits.sum());
                ps = Math.max(ps, s.sent.sum());
                prc = Math.max(prc, s.received.sum());
            }
            return new Rates(name, reads, writes, refused, rcu, wcu, pw, pwcu, pr, prcu, sent, received, requests, ps, prc);
        }
    }

    private static void report(Measurements out, Round r) {
        out.line("%,d tenants (%s; %d with custom limits), %d s of %d requests a second (a quarter video, the rest image,"
                + " each from a tenant drawn at random) with bursts of %d at once at %s s, sent by %d senders over loopback;"
                + " every provider saturated: %d gateway slots and as many in the simulated provider for each image model"
                + " (%,d ms a job), %d for each video model (%,d ms, seed 000's 45 s scaled down); standard-tier caps %d image"
                + " and %d video jobs (above the providers' slots, so the providers are what is full). Counted from the first request until the tier queues were empty (at most %d s"
                + " more): %d s.", TENANTS, planMix(), CUSTOM_TENANTS * 2, STEADY_SECONDS, STEADY_PER_SECOND, BURST,
                java.util.Arrays.toString(BURST_AT_SECONDS), SENDERS, IMAGE_SLOTS, IMAGE_MS, VIDEO_SLOTS, VIDEO_MS,
                STANDARD_IMAGE_CAP, STANDARD_VIDEO_CAP,
                DRAIN_LIMIT.toSeconds(), r.seconds());
        out.line("");
        out.line("Answers: %s; %,d jobs admitted (%.1f a second over the round).", r.answers(), r.admitted(),
                r.admitted() / (double) r.seconds());
        out.line("");
        List<Rates> items = r.items().entrySet().stream().map(e -> Rates.of(e.getKey(), e.getValue())).toList();
        out.line("Top %d DynamoDB items by write units in their busiest second (WCU: 1 per KB of the item, twice in a"
                + " transaction; refused conditional writes included, as DynamoDB bills them); per admitted job ="
                + " the item's writes over the round / jobs admitted:", TOP);
        out.line("");
        out.line("| item | writes | of them refused | writes / admitted job | WCU / write | writes/s mean | busiest second:"
                + " writes | busiest second: WCU |");
        out.line("|---|---:|---:|---:|---:|---:|---:|---:|");
        top(items, Rates::peakWcu).forEach(i -> out.line("| `%s` | %,.0f | %,.0f | %.3f | %.2f | %.1f | %,.0f | %,.1f |",
                i.name(), i.writes(), i.refused(), i.writes() / r.admitted(), i.writes() == 0 ? 0 : i.wcu() / i.writes(),
                i.writes() / r.seconds(), i.peakWrites(), i.peakWcu()));
        out.line("");
        out.line("Top %d DynamoDB items by read units in their busiest second (RCU: 1 per 4 KB strongly consistent, half"
                + " that eventually consistent; a query is counted on its partition key):", TOP);
        out.line("");
        out.line("| item | reads | reads / admitted job | RCU / read | reads/s mean | busiest second: reads | busiest second: RCU |");
        out.line("|---|---:|---:|---:|---:|---:|---:|");
        top(items, Rates::peakRcu).forEach(i -> out.line("| `%s` | %,.0f | %.3f | %.2f | %.1f | %,.0f | %,.1f |", i.name(),
                i.reads(), i.reads() / r.admitted(), i.reads() == 0 ? 0 : i.rcu() / i.reads(), i.reads() / r.seconds(),
                i.peakReads(), i.peakRcu()));
        out.line("");
        out.line("The 20 busiest item families (ids replaced): how many items, writes per admitted job over all of them, and the busiest item:");
        out.line("");
        out.line("| family | items | writes / admitted job (all items) | busiest item's busiest second: WCU | RCU |");
        out.line("|---|---:|---:|---:|---:|");
        Map<String, List<Rates>> families = new java.util.TreeMap<>();
        items.forEach(i -> families.computeIfAbsent(family(i.name()), k -> new ArrayList<>()).add(i));
        families.entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<String, List<Rates>> e) -> -e.getValue().stream()
                        .mapToDouble(Rates::peakWcu).max().orElse(0)))
                .limit(20).forEach(e -> out.line("| `%s` | %,d | %.3f | %,.1f | %,.1f |", e.getKey(), e.getValue().size(),
                        e.getValue().stream().mapToDouble(Rates::writes).sum() / r.admitted(),
                        e.getValue().stream().mapToDouble(Rates::peakWcu).max().orElse(0),
                        e.getValue().stream().mapToDouble(Rates::peakRcu).max().orElse(0)));
        out.line("");
        out.line("SQS queues (messages sent to and received from each; requests = every call naming the queue, the"
                + " event source mappings' receives included):");
        out.line("");
        out.line("| queue | sent | sent / admitted job | sent/s mean | busiest second: sent | received | busiest second:"
                + " received | requests | requests/s mean |");
        out.line("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        r.queues().entrySet().stream().map(e -> Rates.of(e.getKey(), e.getValue()))
                .sorted(Comparator.comparingDouble(q -> -q.requests()))
                .forEach(q -> out.line("| `%s` | %,.0f | %.2f | %.1f | %,.0f | %,.0f | %,.0f | %,.0f | %.1f |",
                        q.name().replace(LocalCloud.STACK_NAME + "-", ""), q.sent(), q.sent() / r.admitted(),
                        q.sent() / r.seconds(), q.peakSent(), q.received(), q.peakReceived(), q.requests(),
                        q.requests() / r.seconds()));
        out.line("");
        out.line("Slot pool items at the end of the load (size as DynamoDB measures it):");
        out.line("");
        r.poolSizes().forEach((pool, size) -> out.line("- `%s`: %s", pool, size));
        out.line("");
        assertThat(r.admitted()).as("jobs admitted").isPositive();
    }

    /** The shared pools before and after the split: how many items, and what the busiest one took. */
    private static void compare(Measurements out, Round whole, Round split) {
        out.line("### The shared pools, one item against split");
        out.line("");
        out.line("| pool | items (one / split) | writes / admitted job, all items | busiest item: writes / admitted job"
                + " | busiest item's busiest second: writes | WCU |");
        out.line("|---|---:|---:|---:|---:|---:|");
        for (String pool : List.of("slots#provider#seedream", "slots#provider#kling", "slots#provider-waiting-count#seedream",
                "slots#tier#standard#image", "slots#tier#standard#video")) {
            List<Rates> before = pool(whole, pool);
            List<Rates> after = pool(split, pool);
            out.line("| `%s` | %d / %d | %.2f / %.2f | %.2f / %.2f | %,.0f / %,.0f | %,.1f / %,.1f |", pool, before.size(),
                    after.size(), perJob(before, whole, Rates::writes), perJob(after, split, Rates::writes),
                    busiest(before, Rates::writes) / whole.admitted(), busiest(after, Rates::writes) / split.admitted(),
                    busiest(before, Rates::peakWrites), busiest(after, Rates::peakWrites), busiest(before, Rates::peakWcu),
                    busiest(after, Rates::peakWcu));
        }
        out.line("");
    }

    /** The items of one pool: the pool itself, or its shards ({@code <pool>#<n>}). */
    private static List<Rates> pool(Round round, String pool) {
        return round.items().entrySet().stream()
                .filter(e -> e.getKey().equals("LimitCountersTable " + pool) || e.getKey().equals("LimitCountersTable "
                        + pool + "#0") || e.getKey().matches("LimitCountersTable " + java.util.regex.Pattern.quote(pool)
                        + "#[0-9]+"))
                .map(e -> Rates.of(e.getKey(), e.getValue())).toList();
    }

    private static double perJob(List<Rates> items, Round round, ToDoubleFunction<Rates> what) {
        return items.stream().mapToDouble(what).sum() / round.admitted();
    }

    private static double busiest(List<Rates> items, ToDoubleFunction<Rates> what) {
        return items.stream().mapToDouble(what).max().orElse(0);
    }

    private static List<Rates> top(List<Rates> items, ToDoubleFunction<Rates> by) {
        return items.stream().filter(i -> by.applyAsDouble(i) > 0).sorted(Comparator.comparingDouble(by).reversed())
                .limit(TOP).toList();
    }

    /** An item's family: its name with job, tenant, event and key ids and numbers replaced. */
    static String family(String item) {
        return item.replaceAll("gen_[0-9a-z]+", "<job>").replaceAll("scale-[0-9]{4}", "<tenant>")
                .replaceAll("evt_[0-9a-f]+", "<event>").replaceAll("(key|inc|upl)_[0-9a-z]+", "<$1>")
                .replaceAll("[A-Za-z0-9_+/=-]{32,}", "<id>").replaceAll("[0-9]{4,}", "<n>");
    }

    private static String planMix() {
        StringBuilder s = new StringBuilder();
        PLANS.forEach((plan, n) -> s.append(s.length() == 0 ? "" : ", ").append(n).append(' ').append(plan));
        return s.toString();
    }
}
