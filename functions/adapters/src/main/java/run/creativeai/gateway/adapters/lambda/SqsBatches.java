package run.creativeai.gateway.adapters.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Processes an SQS batch record by record, side by side, and reports exactly the records that
 * failed ({@code ReportBatchItemFailures}): a failure sends one message back to its queue, never the
 * whole batch. A record fails when its handler throws; one that threw an exception is handed to the
 * {@link Retry} as well, which may bring it back sooner than its queue's visibility timeout would. One
 * that threw an {@link Error} is not: the worker is in no state to be trusted, as if the process had
 * died, and the message waits out its visibility timeout.
 */
public final class SqsBatches {
    private static final Logger LOG = LoggerFactory.getLogger(SqsBatches.class);

    /** When a record that failed is tried again (doing nothing leaves it to the queue's visibility timeout). */
    public interface Retry {
        /** Called for a record reported as failed; must not throw. */
        void later(SQSEvent.SQSMessage record);
    }

    private final ExecutorService workers;
    private final Retry retry;

    /**
     * @param parallelism records processed at once; built once per container
     * @param retry       what a failed record's message is told
     */
    public SqsBatches(int parallelism, Retry retry) {
        this.retry = retry;
        this.workers = Executors.newFixedThreadPool(parallelism, runnable -> {
            Thread thread = new Thread(runnable, "sqs-record");
            thread.setDaemon(true);
            return thread;
        });
    }

    public SQSBatchResponse process(SQSEvent event, Consumer<SQSEvent.SQSMessage> handler) {
        List<SQSEvent.SQSMessage> records = event.getRecords() == null ? List.of() : event.getRecords();
        List<Future<?>> results = new ArrayList<>(records.size());
        // Each record's log lines carry the invocation's context, and then the job it turns out to be about.
        Map<String, String> context = LogContext.capture();
        for (SQSEvent.SQSMessage record : records) {
            results.add(workers.submit(() -> {
                LogContext.restore(context);
                try {
                    handler.accept(record);
                } finally {
                    MDC.clear();
                }
            }));
        }
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            SQSEvent.SQSMessage record = records.get(i);
            try {
                results.get(i).get();
            } catch (ExecutionException e) {
                LOG.error("message {} failed and returns to its queue", record.getMessageId(), e.getCause());
                failures.add(new SQSBatchResponse.BatchItemFailure(record.getMessageId()));
                if (!(e.getCause() instanceof Error)) {
                    retry.later(record);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(new SQSBatchResponse.BatchItemFailure(record.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }
}
