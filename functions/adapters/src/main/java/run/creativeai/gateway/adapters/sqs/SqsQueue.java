package run.creativeai.gateway.adapters.sqs;

import java.time.Duration;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** One SQS queue, by URL. Delays are whole seconds up to SQS's 15-minute maximum. */
public final class SqsQueue {
    private static final long MAX_DELAY_SECONDS = 900;

    private final Supplier<SqsClient> sqs;
    private final String url;

    public SqsQueue(SqsClient sqs, String url) {
        this(() -> sqs, url);
    }

    /**
     * @param sqs the client, asked for at the first send or reading: a function whose first event
     *            sends nothing (a reconciler sweep that finds nothing due) never builds one
     */
    public SqsQueue(Supplier<SqsClient> sqs, String url) {
        this.sqs = sqs;
        this.url = url;
    }

    public void send(String body, Duration delay) {
        // Rounded up: a message is never due before its time.
        long seconds = Math.min(MAX_DELAY_SECONDS, (delay.toMillis() + 999) / 1000);
        sqs.get().sendMessage(b -> b.queueUrl(url).messageBody(body).delaySeconds((int) seconds));
    }

    /**
     * Messages waiting to be received: visible plus delayed (SQS's approximate counts; messages in
     * flight are being worked on and are not counted).
     */
    public long pending() {
        var attributes = sqs.get().getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
                + Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, "0"));
    }

    public String url() {
        return url;
    }
}
