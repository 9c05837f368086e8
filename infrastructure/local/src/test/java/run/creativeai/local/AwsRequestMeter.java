package run.creativeai.local;

import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import run.creativeai.gateway.adapters.ConcurrentCalls;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * Counts the billable AWS requests every SDK v2 client in this JVM makes (the functions', the local
 * runtime's queue pollers', the benchmark's own), registered for all of them through the SDK's
 * global interceptor file ({@code software/amazon/awssdk/global/handlers/execution.interceptors} in
 * the test resources). Inert until a benchmark {@link #enable enables} it; then it asks DynamoDB for
 * the capacity each call consumed and tallies calls by who made them: a function (its handler
 * thread or its record workers), the event source mappings' pollers, or anyone else. It can also
 * capture the requests one thread makes, so they can be replayed as they were.
 */
public final class AwsRequestMeter implements ExecutionInterceptor {
    /** Who made a call: a function, the event source mappings' pollers, the scheduled sweep, or anyone else. */
    enum Caller { FUNCTION, EVENT_SOURCE, SWEEP, OTHER }

    /** The counts for one caller kind and operation, e.g. FUNCTION DynamoDB.UpdateItem. */
    static final class Tally {
        final LongAdder calls = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder emptyReceives = new LongAdder();
        final DoubleAdder readUnits = new DoubleAdder();
        final DoubleAdder writeUnits = new DoubleAdder();
        /** How long each call took, from the SDK's start of it to its answer read (or its failure), in ms. */
        private final List<Double> millis = new ArrayList<>();

        void took(double ms) {
            synchronized (millis) {
                millis.add(ms);
            }
        }

        /** The median of {@link #took}, NaN when nothing was timed. */
        double medianMillis() {
            synchronized (millis) {
                if (millis.isEmpty()) {
                    return Double.NaN;
                }
                List<Double> sorted = new ArrayList<>(millis);
                java.util.Collections.sort(sorted);
                return sorted.get(sorted.size() / 2);
            }
        }
    }

    /** When the SDK began a call: what {@link Tally#took} is measured from. */
    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("AwsRequestMeter.started");

    /** A call as it was made, to be replayed. */
    record Captured(String service, SdkRequest request) {
    }

    private static volatile boolean enabled;
    private static final Map<String, Tally> TALLIES = new ConcurrentHashMap<>();
    /** The same counts by call site: "CALLER Service.Operation target <- adapter method < domain caller". */
    private static final Map<String, Tally> SITES = new ConcurrentHashMap<>();
    /** Sizes of the items put (by PutItem or in a transaction), by table, as DynamoDB counts them. */
    private static final Map<String, LongSummaryStatistics> PUT_BYTES = new ConcurrentHashMap<>();
    private static volatile String captureThreadPrefix;
    /** The handler thread of the function that runs on a schedule: its calls are tallied as SWEEP. */
    private static volatile String sweepThreadPrefix;
    private static final List<Captured> CAPTURED = java.util.Collections.synchronizedList(new ArrayList<>());

    static void enable() {
        enabled = true;
    }

    /** Tallies the calls made on threads whose name starts with {@code prefix} as {@link Caller#SWEEP}. */
    static void sweepsRunOn(String prefix) {
        sweepThreadPrefix = prefix;
    }

    static void reset() {
        TALLIES.clear();
        SITES.clear();
        PUT_BYTES.clear();
    }

    /** The sizes of the items put since the last {@link #reset}, by table, sorted. */
    static Map<String, LongSummaryStatistics> putBytes() {
        synchronized (PUT_BYTES) {
            Map<String, LongSummaryStatistics> out = new TreeMap<>();
            PUT_BYTES.forEach((table, sizes) -> {
                LongSummaryStatistics copy = new LongSummaryStatistics();
                copy.combine(sizes);
                out.put(table, copy);
            });
            return out;
        }
    }

    private static void put(String table, Map<String, AttributeValue> item) {
        if (caller(Thread.currentThread().getName()) == Caller.OTHER) {
            return;
        }
        synchronized (PUT_BYTES) {
            PUT_BYTES.computeIfAbsent(table, t -> new LongSummaryStatistics()).accept(TransactionUnits.bytes(item));
        }
    }

    /** Keeps every request made on threads whose name starts with {@code prefix} (null stops). */
    static void capture(String prefix) {
        CAPTURED.clear();
        captureThreadPrefix = prefix;
    }

    static List<Captured> takeCaptured() {
        synchronized (CAPTURED) {
            List<Captured> out = List.copyOf(CAPTURED);
            CAPTURED.clear();
            return out;
        }
    }

    /** A copy of the counts, keyed "CALLER Service.Operation", sorted. */
    static Map<String, Tally> snapshot() {
        return new TreeMap<>(TALLIES);
    }

    /** A copy of the counts by call site ({@link #SITES}), sorted. */
    static Map<String, Tally> sites() {
        return new TreeMap<>(SITES);
    }

    static Caller caller(String threadName) {
        String sweep = sweepThreadPrefix;
        if (sweep != null && threadName.startsWith(sweep)) {
            return Caller.SWEEP;
        }
        // Calls made together run on the fan-out's workers, named for the thread they work for.
        String working = ConcurrentCalls.NAME + ConcurrentCalls.FOR;
        if (threadName.startsWith(working)) {
            return caller(threadName.substring(working.length()));
        }
        if (threadName.startsWith("lambda-") || threadName.startsWith("sqs-record")) {
            return Caller.FUNCTION;
        }
        if (threadName.startsWith("poller-") || threadName.startsWith("esm-")) {
            return Caller.EVENT_SOURCE;
        }
        return Caller.OTHER;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (enabled) {
            attributes.putAttribute(STARTED, System.nanoTime());
        }
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        if (!enabled) {
            return context.request();
        }
        SdkRequest request = context.request();
        String prefix = captureThreadPrefix;
        if (prefix != null && Thread.currentThread().getName().startsWith(prefix)) {
            CAPTURED.add(new Captured(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME), request));
        }
        if (request instanceof UpdateItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        } else if (request instanceof PutItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        } else if (request instanceof GetItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        } else if (request instanceof DeleteItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        } else if (request instanceof TransactWriteItemsRequest r) {
            // By table and index: a transaction is billed from its items (TransactionUnits), not as reported.
            return r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build();
        } else if (request instanceof BatchGetItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        } else if (request instanceof QueryRequest r) {
            return r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        }
        return request;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (!enabled) {
            return;
        }
        List<Tally> tallies = tallies(attributes, context.request());
        if (context.response() instanceof TransactWriteItemsResponse r
                && context.request() instanceof TransactWriteItemsRequest request) {
            Map<String, Double> billed = TransactionUnits.billed(request, r);
            request.transactItems().stream().filter(i -> i.put() != null).forEach(i -> put(i.put().tableName(), i.put().item()));
            for (Tally tally : tallies) {
                tally.calls.increment();
                billed.values().forEach(tally.writeUnits::add);
            }
            timed(attributes, tallies);
            // A transaction's units by table, so that its items can be told apart.
            String site = sites.get();
            billed.forEach((table, units) -> SITES.computeIfAbsent("UNITS " + site + " [" + table + "]",
                    k -> new Tally()).writeUnits.add(units));
            return;
        }
        if (context.request() instanceof PutItemRequest request) {
            put(request.tableName(), request.item());
        }
        for (Tally tally : tallies) {
            count(tally, context.response());
        }
        timed(attributes, tallies);
    }

    /** The call's time, tallied by its site (the last of {@code tallies}). */
    private static void timed(ExecutionAttributes attributes, List<Tally> tallies) {
        Long started = attributes.getAttribute(STARTED);
        if (started != null) {
            tallies.get(tallies.size() - 1).took((System.nanoTime() - started) / 1e6);
        }
    }

    /** The site key of the last call tallied on this thread. */
    private static final ThreadLocal<String> sites = new ThreadLocal<>();

    private static void count(Tally tally, Object response) {
        tally.calls.increment();
        if (response instanceof UpdateItemResponse r) {
            add(r.consumedCapacity(), tally.writeUnits);
        } else if (response instanceof PutItemResponse r) {
            add(r.consumedCapacity(), tally.writeUnits);
        } else if (response instanceof DeleteItemResponse r) {
            add(r.consumedCapacity(), tally.writeUnits);
        } else if (response instanceof GetItemResponse r) {
            add(r.consumedCapacity(), tally.readUnits);
        } else if (response instanceof QueryResponse r) {
            add(r.consumedCapacity(), tally.readUnits);
        } else if (response instanceof BatchGetItemResponse r) {
            r.consumedCapacity().forEach(c -> add(c, tally.readUnits));
        } else if (response instanceof ReceiveMessageResponse r && r.messages().isEmpty()) {
            tally.emptyReceives.increment();
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (!enabled) {
            return;
        }
        List<Tally> tallies = tallies(attributes, context.request());
        for (Tally tally : tallies) {
            tally.calls.increment();
            tally.failed.increment();
        }
        timed(attributes, tallies);
    }

    private static List<Tally> tallies(ExecutionAttributes attributes, SdkRequest request) {
        String key = caller(Thread.currentThread().getName()) + " "
                + attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        String site = key + " " + target(request) + " <- " + site();
        sites.set(site);
        return List.of(TALLIES.computeIfAbsent(key, k -> new Tally()), SITES.computeIfAbsent(site, k -> new Tally()));
    }

    /** The table or queue a request names (the last path segment of a queue URL). */
    private static String target(SdkRequest request) {
        for (String field : List.of("TableName", "QueueUrl", "Bucket")) {
            java.util.Optional<String> value = request.getValueForField(field, String.class);
            if (value.isPresent()) {
                String v = value.get();
                return v.substring(v.lastIndexOf('/') + 1);
            }
        }
        if (request instanceof TransactWriteItemsRequest r) {
            java.util.Set<String> tables = new java.util.TreeSet<>();
            r.transactItems().forEach(i -> {
                if (i.put() != null) {
                    tables.add(i.put().tableName());
                } else if (i.update() != null) {
                    tables.add(i.update().tableName());
                } else if (i.delete() != null) {
                    tables.add(i.delete().tableName());
                } else if (i.conditionCheck() != null) {
                    tables.add(i.conditionCheck().tableName());
                }
            });
            return r.transactItems().size() + " items on " + String.join("+", tables);
        }
        return "-";
    }

    /**
     * Where the project's code made the call: the adapter method that called the SDK, then the first
     * two callers outside the adapters (skipping the generic retry loops), or "-" for the local cloud's own.
     */
    private static String site() {
        return StackWalker.getInstance().walk(frames -> {
            List<String> named = new ArrayList<>();
            boolean adapterSeen = false;
            for (StackWalker.StackFrame f : (Iterable<StackWalker.StackFrame>) frames::iterator) {
                String c = f.getClassName();
                if (!c.startsWith("run.creativeai.gateway.") || c.contains("VersionedWrites") || c.endsWith(".JobStore")
                        || c.contains(".metrics.")) {
                    continue;
                }
                boolean adapter = c.startsWith("run.creativeai.gateway.adapters.");
                if (adapter && adapterSeen) {
                    continue;
                }
                adapterSeen |= adapter;
                String simple = c.substring(c.lastIndexOf('.') + 1).replaceAll("\\$\\$Lambda.*", "");
                String name = simple + "." + f.getMethodName().replaceAll("^lambda\\$(.*)\\$\\d+$", "$1");
                if (named.isEmpty() || !named.get(named.size() - 1).equals(name)) {
                    named.add(name);
                }
                if (named.size() == 3) {
                    break;
                }
            }
            return named.isEmpty() ? "-" : String.join(" < ", named);
        });
    }

    private static void add(ConsumedCapacity capacity, DoubleAdder units) {
        if (capacity != null && capacity.capacityUnits() != null) {
            units.add(capacity.capacityUnits());
        }
    }
}
