package run.creativeai.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.template.SamFunction;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * An SQS event source mapping: polls the queue, hands the function {@code SQSEvent} batches of up to
 * the template's {@code BatchSize} (gathering for up to {@code MaximumBatchingWindowInSeconds}),
 * runs at most {@code ScalingConfig.MaximumConcurrency} batches at once, and deletes what was
 * processed: with {@code ReportBatchItemFailures}, every message but the ones the function names;
 * otherwise the whole batch, or none of it when the function fails. What is not deleted comes back
 * after the queue's visibility timeout, and the queue's redrive policy moves it to its dead-letter
 * queue after {@code maxReceiveCount} receives.
 *
 * <p>Stopping, it receives nothing more, but hands the function what it has received already and
 * lets the batches under way finish: a message received and then dropped would stay invisible for
 * the queue's whole visibility timeout.
 */
public final class QueuePoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueuePoller.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEFAULT_CONCURRENCY = 5;

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final String region;
    private final SamFunction.SqsEventSource source;
    private final FunctionHost function;
    private final Semaphore slots;
    private final ExecutorService batches;
    private final Thread poller;
    private volatile boolean running = true;

    public QueuePoller(SqsClient sqs, String queueUrl, String queueArn, String region, SamFunction.SqsEventSource source,
            FunctionHost function) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = queueArn;
        this.region = region;
        this.source = source;
        this.function = function;
        int concurrency = source.maximumConcurrency().orElse(DEFAULT_CONCURRENCY);
        this.slots = new Semaphore(concurrency);
        this.batches = Executors.newFixedThreadPool(concurrency, r -> {
            Thread thread = new Thread(r, "esm-" + source.eventName());
            thread.setDaemon(true);
            return thread;
        });
        this.poller = new Thread(this::poll, "poller-" + source.eventName());
        this.poller.setDaemon(true);
    }

    public void start() {
        if (source.enabled()) {
            poller.start();
        }
    }

    private void poll() {
        while (running) {
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                return;
            }
            if (!running) {
                slots.release();
                return;
            }
            List<Message> batch;
            try {
                batch = receiveBatch();
            } catch (RuntimeException e) {
                slots.release();
                if (running) {
                    LOG.warn("receiving from {} failed: {}", queueArn, e.toString());
                    pause();
                }
                continue;
            }
            if (batch.isEmpty()) {
                slots.release();
                continue;
            }
            try {
                batches.submit(() -> {
                    try {
                        invoke(batch);
                    } finally {
                        slots.release();
                    }
                });
            } catch (RejectedExecutionException e) {
                // Stopped without waiting for this receive: the batch comes back after the visibility timeout.
                slots.release();
                return;
            }
        }
    }

    private List<Message> receiveBatch() {
        List<Message> batch = new ArrayList<>();
        Instant windowEnds = Instant.now().plusSeconds(source.maximumBatchingWindowSeconds());
        do {
            int wanted = Math.min(10, source.batchSize() - batch.size());
            // Short long-polls, so a stop never waits long on an idle queue.
            List<Message> received = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                    .maxNumberOfMessages(wanted)
                    .waitTimeSeconds(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                    .messageAttributeNames("All")).messages();
            batch.addAll(received);
            if (received.isEmpty() && !batch.isEmpty()) {
                break;
            }
        } while (running && batch.size() < source.batchSize() && Instant.now().isBefore(windowEnds) && !batch.isEmpty());
        return batch;
    }

    private void invoke(List<Message> batch) {
        Set<String> failed;
        try {
            String result = function.invoke(JSON.writeValueAsString(event(batch)));
            failed = source.reportBatchItemFailures() ? failures(result, batch) : Set.of();
        } catch (FunctionHost.InvocationFailure | IOException e) {
            LOG.warn("{} failed on a batch of {} from {}; the batch returns to the queue: {}", function.logicalId(),
                    batch.size(), queueArn, e.getMessage());
            return;
        }
        List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
        for (Message message : batch) {
            if (!failed.contains(message.messageId())) {
                done.add(DeleteMessageBatchRequestEntry.builder().id(message.messageId())
                        .receiptHandle(message.receiptHandle()).build());
            }
        }
        for (int i = 0; i < done.size(); i += 10) {
            List<DeleteMessageBatchRequestEntry> chunk = done.subList(i, Math.min(done.size(), i + 10));
            sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(chunk));
        }
    }

    /**
     * The messages the function reported as failed. As on Lambda, a malformed report (an id that is
     * not in the batch, or an empty one) fails the whole batch.
     */
    private Set<String> failures(String result, List<Message> batch) throws IOException {
        JsonNode response = JSON.readTree(result);
        Set<String> ids = new HashSet<>();
        batch.forEach(m -> ids.add(m.messageId()));
        Set<String> failed = new HashSet<>();
        if (response == null || !response.isObject()) {
            return failed;
        }
        for (JsonNode failure : response.path("batchItemFailures")) {
            String id = failure.path("itemIdentifier").asText("");
            if (!ids.contains(id)) {
                LOG.warn("{} reported failure of unknown message '{}'; the whole batch is retried", function.logicalId(), id);
                return ids;
            }
            failed.add(id);
        }
        return failed;
    }

    private ObjectNode event(List<Message> batch) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Message m : batch) {
            ObjectNode record = records.addObject()
                    .put("messageId", m.messageId())
                    .put("receiptHandle", m.receiptHandle())
                    .put("body", m.body())
                    .put("md5OfBody", m.md5OfBody())
                    .put("eventSource", "aws:sqs")
                    .put("eventSourceARN", queueArn)
                    .put("awsRegion", region);
            ObjectNode attributes = record.putObject("attributes");
            m.attributes().forEach((name, value) -> attributes.put(name.toString(), value));
            ObjectNode messageAttributes = record.putObject("messageAttributes");
            m.messageAttributes().forEach((name, value) -> {
                ObjectNode attribute = messageAttributes.putObject(name)
                        .put("stringValue", value.stringValue())
                        .put("dataType", value.dataType());
                attribute.putArray("stringListValues");
                attribute.putArray("binaryListValues");
            });
        }
        return event;
    }

    private void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String eventName() {
        return source.eventName();
    }

    /** Receives nothing more; what was received is still handed to the function. */
    public void stopReceiving() {
        running = false;
    }

    /**
     * Stops receiving, then waits for the batches under way, each of which ends within the
     * function's timeout (its messages return to the queue if it does not).
     */
    @Override
    public void close() {
        stopReceiving();
        Duration bound = function.longestCall();
        try {
            // The poller finishes its receive (a second's long poll) or waits for a batch to end.
            poller.join(bound.toMillis());
            if (poller.isAlive()) {
                poller.interrupt();
                poller.join(TimeUnit.SECONDS.toMillis(1));
            }
            batches.shutdown();
            if (!batches.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{} still ran batches from {} after {} s; their messages return to the queue",
                        function.logicalId(), queueArn, bound.toSeconds());
                batches.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            batches.shutdownNow();
        }
    }
}
