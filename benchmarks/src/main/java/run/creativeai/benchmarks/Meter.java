package run.creativeai.benchmarks;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Counts what every SDK v2 call costs: round trips, capacity units DynamoDB reports for the calls
 * that succeed (it reports none for a failed conditional write), and transaction cancellations by
 * reason. Installed on the clients of a measurement; the code measured is unchanged.
 */
final class Meter implements ExecutionInterceptor {
    final LongAdder calls = new LongAdder();
    /** Calls that read items (GetItem, BatchGetItem), answered or failed. */
    final LongAdder reads = new LongAdder();
    final DoubleAdder writeUnits = new DoubleAdder();
    final DoubleAdder readUnits = new DoubleAdder();
    final LongAdder transactions = new LongAdder();
    final LongAdder conflicts = new LongAdder();
    final LongAdder conditionCancellations = new LongAdder();

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        if (request instanceof UpdateItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        }
        if (request instanceof TransactWriteItemsRequest r) {
            return r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        }
        if (request instanceof PutItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        }
        if (request instanceof GetItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        }
        if (request instanceof BatchGetItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        }
        return request;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        count(context.request());
        Object response = context.response();
        if (response instanceof UpdateItemResponse r) {
            add(r.consumedCapacity(), writeUnits);
        } else if (response instanceof PutItemResponse r) {
            add(r.consumedCapacity(), writeUnits);
        } else if (response instanceof GetItemResponse r) {
            add(r.consumedCapacity(), readUnits);
        } else if (response instanceof TransactWriteItemsResponse r) {
            transactions.increment();
            r.consumedCapacity().forEach(c -> add(c, writeUnits));
        } else if (response instanceof BatchGetItemResponse r) {
            r.consumedCapacity().forEach(c -> add(c, readUnits));
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        count(context.request());
        if (context.exception() instanceof TransactionCanceledException e) {
            transactions.increment();
            if (e.cancellationReasons().stream().anyMatch(r -> "TransactionConflict".equals(r.code()))) {
                conflicts.increment();
            } else {
                conditionCancellations.increment();
            }
        }
    }

    private void count(SdkRequest request) {
        call(request instanceof GetItemRequest || request instanceof BatchGetItemRequest);
    }

    /** One call made, answered or failed, by any client (the SDK v1 client's handler counts here too). */
    void call(boolean readsItems) {
        calls.increment();
        if (readsItems) {
            reads.increment();
        }
    }

    private static void add(ConsumedCapacity capacity, DoubleAdder units) {
        if (capacity != null && capacity.capacityUnits() != null) {
            units.add(capacity.capacityUnits());
        }
    }
}
