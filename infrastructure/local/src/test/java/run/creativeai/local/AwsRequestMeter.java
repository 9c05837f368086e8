package run.creativeai.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
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
    }

    /** A call as it was made, to be replayed. */
    record Captured(String service, SdkRequest request) {
    }

    private static volatile boolean enabled;
    private static final Map<String, Tally> TALLIES = new ConcurrentHashMap<>();
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

    static Caller caller(String threadName) {
        String sweep = sweepThreadPrefix;
        if (sweep != null && threadName.startsWith(sweep)) {
            return Caller.SWEEP;
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
            return r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
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
        Tally tally = tally(attributes);
        tally.calls.increment();
        Object response = context.response();
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
        } else if (response instanceof TransactWriteItemsResponse r) {
            r.consumedCapacity().forEach(c -> add(c, tally.writeUnits));
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
        Tally tally = tally(attributes);
        tally.calls.increment();
        tally.failed.increment();
    }

    private static Tally tally(ExecutionAttributes attributes) {
        String key = caller(Thread.currentThread().getName()) + " "
                + attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        return TALLIES.computeIfAbsent(key, k -> new Tally());
    }

    private static void add(ConsumedCapacity capacity, DoubleAdder units) {
        if (capacity != null && capacity.capacityUnits() != null) {
            units.add(capacity.capacityUnits());
        }
    }
}
