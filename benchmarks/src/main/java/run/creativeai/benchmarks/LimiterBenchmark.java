package run.creativeai.benchmarks;

import com.amazonaws.Request;
import com.amazonaws.Response;
import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.handlers.RequestHandler2;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder.EndpointConfiguration;
import com.amazonaws.services.dynamodbv2.AmazonDynamoDB;
import com.amazonaws.services.dynamodbv2.AmazonDynamoDBClientBuilder;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.Refill;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.dynamodb.v1.DynamoDBProxyManager;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import run.creativeai.gateway.access.AuditEntry;
import run.creativeai.gateway.adapters.dynamodb.DynamoDbAccounts;
import run.creativeai.gateway.adapters.dynamodb.DynamoDbLimiter;
import run.creativeai.gateway.billing.Balance;
import run.creativeai.gateway.limits.AdmissionDecision;
import run.creativeai.gateway.limits.CreditReservation;
import run.creativeai.gateway.limits.LimitCharge;
import run.creativeai.gateway.limits.LimiterBusyException;
import run.creativeai.gateway.limits.RateLimitRule;
import run.creativeai.gateway.limits.RateLimitRule.CountedPer;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.local.services.EmbeddedDynamoDb;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The limiter benchmark: against DynamoDB Local in this JVM, every thread with its own SDK client
 * (as every Lambda instance has its own), bounded in time per measurement. Part 1 compares the
 * candidate designs on one hot key at 64 threads; part 2 measures the production limiter next to a
 * naive read-then-write limiter and Bucket4j's DynamoDB backend at 1, 8 and 64 threads on one key
 * and on many keys, then counts over-admissions when 1,000 requests race for a limit of 100. Part 3
 * puts the credit reservation in the same write, beside the same rules without it, and races
 * requests against a limit and a balance together for over-admission and overdraft.
 * Absolute numbers are this machine's; ratios within one run are the result.
 */
public final class LimiterBenchmark {
    private static final String TABLE = "limits-bench";
    private static final String BUCKET_TABLE = "buckets-bench";
    /** Balances, in the accounts table's schema (template.yaml's AccountsTable). */
    private static final String ACCOUNTS = "accounts-bench";
    /** The tenant whose balance the throughput rows reserve from: enough for every request they make. */
    private static final String FUNDED = "credits-bench";
    private static final long HUGE = 1_000_000_000L;
    private static final int MANY_KEYS = 10_000;

    private final URI endpoint;
    private final Duration perMeasurement;
    private final Results out = new Results("limiter");

    private LimiterBenchmark(URI endpoint, Duration perMeasurement) {
        this.endpoint = endpoint;
        this.perMeasurement = perMeasurement;
    }

    public static void main(String[] args) throws Exception {
        Duration each = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 3);
        try (EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.start(Optional.empty())) {
            LimiterBenchmark bench = new LimiterBenchmark(dynamo.endpoint(), each);
            bench.createTables();
            bench.out.printf("Limiter benchmark, %s, %d cores, JDK %s, DynamoDB Local in-process, %d s per cell.%n%n",
                    Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), each.toSeconds());
            bench.warmUp();
            bench.designs();
            bench.peers();
            bench.overAdmission();
            bench.credits();
            bench.out.save();
        }
        System.exit(0);
    }

    /** A way to decide one request; one is built per thread, with that thread's own client. */
    private interface Contender {
        String name();

        Designs.Admitter build(DynamoDbClient dynamo, AmazonDynamoDB v1, long limit);
    }

    private record Result(double perSecond, double callsPerAdmission, double writeUnitsPerAdmission,
            long transactions, long conflicts, long conditionCancellations) {
    }

    /** DynamoDB Local and the clients are JIT-compiled before anything is measured. */
    private void warmUp() throws Exception {
        RateLimitRule perKey = RateLimitRule.fixed("warm", RateLimitRule.Unit.REQUESTS, HUGE, Duration.ofMinutes(1), CountedPer.KEY);
        RateLimitRule org = RateLimitRule.fixed("warm_org", RateLimitRule.Unit.REQUESTS, HUGE, Duration.ofMinutes(1), CountedPer.TENANT);
        for (Contender contender : List.of(contender("warm-up", limiter(List.of(perKey, org))),
                contender("warm-up", (d, v1, limit) -> Designs.singleItem(d, TABLE, 3, limit)),
                contender("warm-up", this::bucket4j))) {
            measure(contender, 16, i -> "k" + ThreadLocalRandom.current().nextInt(100), HUGE);
        }
    }

    // ------------------------------------------------------------------ part 1: designs

    private void designs() throws Exception {
        out.line("### Designs: a request charged against 3 fixed-window counters (all count or none), one hot key");
        out.line("");
        out.line("| design | threads | admissions/s | round trips / admission | write units / admission |"
                + " transactions cancelled (conflict / condition) |");
        out.line("|---|---:|---:|---:|---:|---:|");
        RateLimitRule perKey = RateLimitRule.fixed("plan_requests_per_minute", RateLimitRule.Unit.REQUESTS, HUGE, Duration.ofMinutes(1),
                CountedPer.KEY);
        RateLimitRule model = RateLimitRule.fixed("model.flux.images_per_minute", RateLimitRule.Unit.IMAGES, HUGE, Duration.ofMinutes(1),
                CountedPer.KEY);
        RateLimitRule org = RateLimitRule.fixed("create_requests_per_minute", RateLimitRule.Unit.REQUESTS, HUGE, Duration.ofMinutes(1),
                CountedPer.TENANT);
        RateLimitRule orgAsKey = RateLimitRule.fixed("create_requests_per_minute", RateLimitRule.Unit.REQUESTS, HUGE,
                Duration.ofMinutes(1), CountedPer.KEY);
        RateLimitRule ring = RateLimitRule.rolling("videos_per_2_seconds", RateLimitRule.Unit.VIDEOS, 1000, Duration.ofSeconds(2),
                CountedPer.KEY);
        List<Contender> designs = List.of(
                contender("one item, one conditional UpdateItem", (d, v1, limit) -> Designs.singleItem(d, TABLE, 3, limit)),
                contender("item per rule, one TransactWriteItems", (d, v1, limit) -> Designs.transaction(d, TABLE, 3, limit)),
                contender("item per rule, UpdateItem each + compensation", (d, v1, limit) -> Designs.compensation(d, TABLE, 3, limit)),
                contender("chosen: item per owner, 3 rules on the key item", limiter(List.of(perKey, model, orgAsKey))),
                contender("chosen: item per owner, key item + tenant item (transaction)", limiter(List.of(perKey, model, org))),
                contender("ring of timestamps, rolling window (1000 per 2 s) alone", limiter(List.of(ring))),
                contender("chosen with a ring: 2 fixed + rolling on the key item", limiter(List.of(perKey, model, ring))));
        for (int threads : new int[] {1, 64}) {
            for (Contender design : designs) {
                Result r = measure(design, threads, i -> "hot", HUGE);
                out.printf("| %s | %d | %.0f | %.2f | %s | %s |%n", design.name(), threads,
                        r.perSecond(), r.callsPerAdmission(), units(r.writeUnitsPerAdmission()),
                        r.transactions() == 0 ? "-" : String.format(Locale.ROOT, "%d / %d of %d", r.conflicts(),
                                r.conditionCancellations(), r.transactions()));
            }
        }
        out.line("");
    }

    // ------------------------------------------------------------------ part 2: peers

    private void peers() throws Exception {
        out.line("### Limiter against peers: admissions/s (limit never reached), one hot key and 10,000 keys");
        out.line("");
        out.line("| limiter | threads | one key: admissions/s | round trips / adm. | many keys: admissions/s |"
                + " round trips / adm. |");
        out.line("|---|---:|---:|---:|---:|---:|");
        out.csv("threads", "series", "admissions_per_s");
        for (Contender contender : peerContenders()) {
            for (int threads : new int[] {1, 8, 64}) {
                Result hot = measure(contender, threads, i -> "hot", HUGE);
                Result spread = measure(contender, threads,
                        i -> "k" + ThreadLocalRandom.current().nextInt(MANY_KEYS), HUGE);
                out.printf("| %s | %d | %.0f | %s | %.0f | %s |%n", contender.name(), threads,
                        hot.perSecond(), calls(hot), spread.perSecond(), calls(spread));
                out.csv(threads, contender.name().replace(",", "") + " one key", hot.perSecond());
                out.csv(threads, contender.name().replace(",", "") + " many keys", spread.perSecond());
            }
        }
        out.line("");
    }

    private void overAdmission() throws Exception {
        out.line("### Over-admission: 1,000 requests from 64 threads racing for a limit of 100 on one key");
        out.line("");
        out.line("| limiter | admitted | over-admitted | refused as busy (503) | item reads per refused request |");
        out.line("|---|---:|---:|---:|---:|");
        for (Contender contender : peerContenders()) {
            long admitted = race(contender, 64, 1000, 100);
            long refused = 1000 - admitted;
            out.printf("| %s | %d | %d | %d | %s |%n", contender.name(), admitted, Math.max(0, admitted - 100),
                    lastBusy.get(), readsPerRefusal(lastReads.get(), refused));
        }
        out.line("");
    }

    private static String readsPerRefusal(long reads, long refused) {
        return refused == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", reads / (double) refused);
    }

    private List<Contender> peerContenders() {
        RateLimitRule perKey = RateLimitRule.fixed("plan_requests_per_minute", RateLimitRule.Unit.REQUESTS, HUGE, Duration.ofMinutes(1),
                CountedPer.KEY);
        RateLimitRule model = RateLimitRule.fixed("model.flux.images_per_minute", RateLimitRule.Unit.IMAGES, HUGE, Duration.ofMinutes(1),
                CountedPer.KEY);
        RateLimitRule org = RateLimitRule.fixed("daily_tasks", RateLimitRule.Unit.TASKS, HUGE, Duration.ofDays(1), CountedPer.TENANT);
        return List.of(
                contender("gateway limiter, 1 rule (1 item)", limiter(List.of(perKey))),
                contender("gateway limiter, 2 rules (1 item)", limiter(List.of(perKey, model))),
                contender("gateway limiter, 3 rules (key + tenant items)", limiter(List.of(perKey, model, org))),
                contender("naive read-then-write, 1 rule", (d, v1, limit) -> Designs.readThenWrite(d, TABLE, limit)),
                contender("Bucket4j 8.6.0 DynamoDB (SDK v1), 1 rule", this::bucket4j));
    }

    // ------------------------------------------------------------------ part 3: credits

    private void credits() throws Exception {
        out.line("### Credits reserved in the same write as the limits: one hot key, 1 credit a request");
        out.line("");
        out.line("| limiter | threads | admissions/s | round trips / admission | write units / admission |");
        out.line("|---|---:|---:|---:|---:|");
        RateLimitRule perKey = RateLimitRule.fixed("plan_requests_per_minute", RateLimitRule.Unit.REQUESTS, HUGE,
                Duration.ofMinutes(1), CountedPer.KEY);
        RateLimitRule model = RateLimitRule.fixed("model.flux.images_per_minute", RateLimitRule.Unit.IMAGES, HUGE,
                Duration.ofMinutes(1), CountedPer.KEY);
        RateLimitRule org = RateLimitRule.fixed("daily_tasks", RateLimitRule.Unit.TASKS, HUGE, Duration.ofDays(1),
                CountedPer.TENANT);
        fund(FUNDED, HUGE);
        List<Contender> contenders = List.of(
                contender("2 rules (key item)", limiter(List.of(perKey, model))),
                contender("2 rules + credits (key item + balance, transaction)",
                        limiter(List.of(perKey, model), Optional.of(FUNDED))),
                contender("3 rules (key + tenant items)", limiter(List.of(perKey, model, org))),
                contender("3 rules + credits (key + tenant items + balance)",
                        limiter(List.of(perKey, model, org), Optional.of(FUNDED))));
        for (int threads : new int[] {1, 8, 64}) {
            for (Contender contender : contenders) {
                Result r = measure(contender, threads, i -> "hot", HUGE);
                out.printf("| %s | %d | %.0f | %.2f | %s |%n", contender.name(), threads, r.perSecond(),
                        r.callsPerAdmission(), units(r.writeUnitsPerAdmission()));
            }
        }
        out.line("");
        out.line("### Limit and balance racing together: 64 threads, 1 credit a request");
        out.line("");
        out.line("| race | admitted | over-admitted | overdraft (credits) | refused as busy (503) "
                + "| item reads per refused request |");
        out.line("|---|---:|---:|---:|---:|---:|");
        creditRace("1,000 requests, limit 100, balance 1,000 (the limit binds)", List.of(perKey, model), 1000, 100, 1000);
        creditRace("200 requests, limit 1,000, balance 10 (the balance binds)", List.of(perKey, model), 200, 1000, 10);
        creditRace("200 requests, 3 rules, limit 1,000, balance 10 (the balance binds)", List.of(perKey, model, org), 200,
                1000, 10);
        out.line("");
    }

    /** One race of {@code attempts} requests against a limit and a new tenant's balance of {@code funds}. */
    private void creditRace(String name, List<RateLimitRule> rules, int attempts, long limit, long funds)
            throws Exception {
        String payer = "race-" + Long.toString(System.nanoTime(), 36);
        fund(payer, funds);
        long admitted = race(contender(name, limiter(rules, Optional.of(payer))), 64, attempts, limit);
        long busy = lastBusy.get();
        long reads = lastReads.get();
        Balance left;
        try (DynamoDbClient dynamo = client(new Meter())) {
            left = new DynamoDbAccounts(dynamo, ACCOUNTS).balance(new TenantId(payer));
        }
        long bound = Math.min(limit, funds);
        out.printf("| %s | %d | %d | %d | %d | %s |%n", name, admitted, Math.max(0, admitted - bound),
                Math.max(0, left.reserved() - funds) + Math.max(0, -left.available()), busy,
                readsPerRefusal(reads, attempts - admitted));
    }

    private void fund(String tenant, long credits) {
        try (DynamoDbClient dynamo = client(new Meter())) {
            new DynamoDbAccounts(dynamo, ACCOUNTS).addCredits(new TenantId(tenant), credits,
                    new AuditEntry(Instant.now(), "limiter benchmark", "credits add", "+" + credits));
        }
    }

    // ------------------------------------------------------------------ machinery

    private final AtomicLong lastBusy = new AtomicLong();
    /** Read calls (GetItem, BatchGetItem) of the last race. */
    private final AtomicLong lastReads = new AtomicLong();
    /** The instant the gateway limiter decides at during a race (see {@link #race}); otherwise now. */
    private volatile Optional<Instant> raceStart = Optional.empty();

    private static Contender contender(String name, Factory factory) {
        return new Contender() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Designs.Admitter build(DynamoDbClient dynamo, AmazonDynamoDB v1, long limit) {
                return factory.build(dynamo, v1, limit);
            }
        };
    }

    @FunctionalInterface
    private interface Factory {
        Designs.Admitter build(DynamoDbClient dynamo, AmazonDynamoDB v1, long limit);
    }

    /** The production limiter with these rules (their limits replaced by the measurement's), per thread. */
    private Factory limiter(List<RateLimitRule> rules) {
        return limiter(rules, Optional.empty());
    }

    /** The same, each request also reserving 1 credit of {@code payer}'s balance in the same write. */
    private Factory limiter(List<RateLimitRule> rules, Optional<String> payer) {
        return (dynamo, v1, limit) -> {
            DynamoDbLimiter limiter = payer.isPresent() ? new DynamoDbLimiter(dynamo, TABLE, ACCOUNTS)
                    : new DynamoDbLimiter(dynamo, TABLE);
            Optional<CreditReservation> credits = payer.map(tenant -> new CreditReservation(tenant, 1));
            return key -> {
                List<LimitCharge> charges = new ArrayList<>();
                for (RateLimitRule rule : rules) {
                    RateLimitRule limited = rule.kind() == RateLimitRule.Kind.ROLLING ? rule
                            : new RateLimitRule(rule.id(), rule.unit(), limit, rule.window(), rule.kind(), rule.per(),
                                    rule.enforcement());
                    charges.add(new LimitCharge(limited, rule.per() == CountedPer.KEY ? "key_" + key : "t-" + key, 1));
                }
                try {
                    return limiter.admit(charges, credits, raceStart.orElseGet(Instant::now))
                            instanceof AdmissionDecision.Admitted;
                } catch (LimiterBusyException e) {
                    lastBusy.incrementAndGet();
                    return false;
                }
            };
        };
    }

    private Designs.Admitter bucket4j(DynamoDbClient dynamo, AmazonDynamoDB v1, long limit) {
        ProxyManager<String> buckets = DynamoDBProxyManager.stringKey(v1, BUCKET_TABLE, ClientSideConfig.getDefault());
        @SuppressWarnings("deprecation")
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(Bandwidth.classic(limit, Refill.intervally(limit, Duration.ofMinutes(1)))).build();
        return key -> buckets.builder().build(key, configuration).tryConsume(1);
    }

    /** Runs the contender for the measurement's duration; every thread builds its own clients. */
    private Result measure(Contender contender, int threads, Function<Integer, String> keys, long limit)
            throws Exception {
        String run = Long.toString(System.nanoTime(), 36);
        Meter meter = new Meter();
        LongAdder admitted = new LongAdder();
        lastBusy.set(0);
        long[] window = new long[2];
        onThreads(contender, threads, meter, limit, () -> {
            window[0] = System.nanoTime();
            window[1] = window[0] + perMeasurement.toNanos();
        }, admitter -> {
            int i = 0;
            while (System.nanoTime() < window[1]) {
                if (admitter.admit(run + keys.apply(i++))) {
                    admitted.increment();
                }
            }
        });
        double seconds = (System.nanoTime() - window[0]) / 1e9;
        long a = Math.max(1, admitted.sum());
        return new Result(admitted.sum() / seconds, meter.calls.sum() / (double) a, meter.writeUnits.sum() / a,
                meter.transactions.sum(), meter.conflicts.sum(), meter.conditionCancellations.sum());
    }

    /** {@code attempts} requests from {@code threads} threads on one key with a limit; returns how many were admitted. */
    private long race(Contender contender, int threads, int attempts, long limit) throws Exception {
        String key = "race" + Long.toString(System.nanoTime(), 36);
        lastBusy.set(0);
        // One instant for the whole race: on a loaded machine a race can outlast the minute it began in,
        // and the next window's 100 would then count as over-admitted.
        raceStart = Optional.of(Instant.now());
        try {
            return raceNow(contender, threads, attempts, limit, key);
        } finally {
            raceStart = Optional.empty();
        }
    }

    private long raceNow(Contender contender, int threads, int attempts, long limit, String key) throws Exception {
        AtomicLong next = new AtomicLong();
        LongAdder admitted = new LongAdder();
        Meter meter = new Meter();
        onThreads(contender, threads, meter, limit, () -> { }, admitter -> {
            while (next.getAndIncrement() < attempts) {
                if (admitter.admit(key)) {
                    admitted.increment();
                }
            }
        });
        lastReads.set(meter.reads.sum());
        return admitted.sum();
    }

    /** What one thread does with its admitter. */
    @FunctionalInterface
    private interface Work {
        void run(Designs.Admitter admitter);
    }

    /**
     * Starts {@code threads} threads, each building its own clients and admitter; once all are
     * ready, runs {@code onStart} and lets them all do {@code work} at once; returns when all are done.
     */
    private void onThreads(Contender contender, int threads, Meter meter, long limit, Runnable onStart, Work work)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                AmazonDynamoDB v1 = clientV1(meter);
                try (DynamoDbClient dynamo = client(meter)) {
                    Designs.Admitter admitter = contender.build(dynamo, v1, limit);
                    ready.countDown();
                    go.await();
                    work.run(admitter);
                } finally {
                    v1.shutdown();
                }
                return null;
            }));
        }
        ready.await();
        onStart.run();
        go.countDown();
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
    }

    private void createTables() {
        try (DynamoDbClient dynamo = client(new Meter())) {
            for (String[] table : new String[][] {{TABLE, "pk"}, {BUCKET_TABLE, "key"}}) {
                dynamo.createTable(b -> b.tableName(table[0])
                        .keySchema(k -> k.attributeName(table[1]).keyType(KeyType.HASH))
                        .attributeDefinitions(a -> a.attributeName(table[1]).attributeType(ScalarAttributeType.S))
                        .billingMode(BillingMode.PAY_PER_REQUEST));
            }
            dynamo.createTable(b -> b.tableName(ACCOUNTS)
                    .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH),
                            k -> k.attributeName("sk").keyType(KeyType.RANGE))
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                    .billingMode(BillingMode.PAY_PER_REQUEST));
        }
    }

    /** A client built as the functions build theirs (url-connection, explicit timeouts), plus the meter. */
    private DynamoDbClient client(Meter meter) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(10)).build())
                .overrideConfiguration(ClientOverrideConfiguration.builder().addExecutionInterceptor(meter)
                        .apiCallTimeout(Duration.ofSeconds(20)).build())
                .build();
    }

    /** Bucket4j's client, with its round trips counted by the same meter. */
    private AmazonDynamoDB clientV1(Meter meter) {
        return AmazonDynamoDBClientBuilder.standard()
                .withRequestHandlers(new RequestHandler2() {
                    @Override
                    public void afterResponse(Request<?> request, Response<?> response) {
                        count(request);
                    }

                    @Override
                    public void afterError(Request<?> request, Response<?> response, Exception e) {
                        count(request);
                    }

                    private void count(Request<?> request) {
                        meter.call(request.getOriginalRequest() instanceof com.amazonaws.services.dynamodbv2.model.GetItemRequest);
                    }
                })
                .withEndpointConfiguration(new EndpointConfiguration(endpoint.toString(), "us-east-1"))
                .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials("local", "local"))).build();
    }

    private static String calls(Result r) {
        return String.format(Locale.ROOT, "%.2f", r.callsPerAdmission());
    }

    private static String units(double perAdmission) {
        return perAdmission == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", perAdmission);
    }
}
