package run.creativeai.gateway.adapters.sqs;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.adapters.lambda.SqsBatches;
import run.creativeai.gateway.config.FunctionEnvironment;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Brings a record whose handling failed back to its queue after a short back-off, instead of after
 * the queue's visibility timeout. The job queues hold a message out of sight for 12 minutes (six
 * times the dispatcher's timeout, as AWS advises for event source mappings), so a record that failed
 * on a transient fault (a call that timed out, a throttled write) would wait that long before its
 * next try: a job of a few seconds delayed by twelve minutes. The event source mapping leaves a
 * reported failure in flight; this sets its visibility ({@code ChangeMessageVisibility}) to
 * {@link #FIRST} after its first receive, five times longer after each later one, at most
 * {@link #LONGEST}, each with jitter (half to all of it), so a burst's failures do not all come back
 * at once. The queue's redrive policy still counts every receive: a record that keeps failing reaches
 * its dead-letter queue after its five receives, in about 13 minutes instead of an hour.
 *
 * <p>A record whose queue this function was not told of, or whose visibility cannot be changed (SQS
 * itself failing), keeps the queue's visibility timeout: the retry is later, never lost.
 */
public final class SqsRetries implements SqsBatches.Retry {
    /** The wait before a record's second try. */
    static final Duration FIRST = Duration.ofSeconds(5);
    /** The longest wait, whatever the receive count (within a job queue's visibility timeout). */
    static final Duration LONGEST = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(SqsRetries.class);

    private final Supplier<SqsClient> sqs;
    private final Map<String, String> urlsByName;
    private final DoubleSupplier random;

    /**
     * @param sqs        the function's SQS client, asked for at the first retry (most instances never need it)
     * @param queueUrls  the URLs of the queues the function consumes
     * @param random     uniform in [0, 1): the jitter
     */
    SqsRetries(Supplier<SqsClient> sqs, Iterable<String> queueUrls, DoubleSupplier random) {
        this.sqs = sqs;
        this.random = random;
        this.urlsByName = new HashMap<>();
        queueUrls.forEach(url -> urlsByName.put(name(url), url));
    }

    /** Retries for the queues whose URLs the environment holds under {@code urlVariables} (those set). */
    public static SqsRetries of(Supplier<SqsClient> sqs, FunctionEnvironment env, String... urlVariables) {
        List<String> urls = new ArrayList<>();
        for (String variable : urlVariables) {
            env.optional(variable).ifPresent(urls::add);
        }
        return new SqsRetries(sqs, urls, () -> ThreadLocalRandom.current().nextDouble());
    }

    @Override
    public void later(SQSEvent.SQSMessage record) {
        Optional<String> url = Optional.ofNullable(record.getEventSourceArn()).map(SqsRetries::name).map(urlsByName::get);
        if (url.isEmpty() || record.getReceiptHandle() == null) {
            LOG.warn("message {} from {} comes back after its queue's visibility timeout", record.getMessageId(),
                    record.getEventSourceArn());
            return;
        }
        int seconds = (int) wait(receives(record), random.getAsDouble()).toSeconds();
        try {
            sqs.get().changeMessageVisibility(b -> b.queueUrl(url.get()).receiptHandle(record.getReceiptHandle())
                    .visibilityTimeout(seconds));
            LOG.info("message {} comes back in {} s", record.getMessageId(), seconds);
        } catch (RuntimeException e) {
            LOG.warn("message {} comes back after its queue's visibility timeout: its visibility could not be changed ({})",
                    record.getMessageId(), e.toString());
        }
    }

    /**
     * The wait before the next try of a record received {@code receives} times: {@link #FIRST} times five
     * to the power of the receives before this one, at most {@link #LONGEST}, scaled by half plus half
     * of {@code jitter} (in [0, 1)); at least a second.
     */
    static Duration wait(int receives, double jitter) {
        long full = FIRST.toSeconds();
        for (int i = 1; i < receives && full < LONGEST.toSeconds(); i++) {
            full *= 5;
        }
        full = Math.min(full, LONGEST.toSeconds());
        return Duration.ofSeconds(Math.max(1, Math.round(full * (0.5 + jitter / 2))));
    }

    /** How many times SQS has handed the record out, this time included (its {@code ApproximateReceiveCount}). */
    private static int receives(SQSEvent.SQSMessage record) {
        String count = record.getAttributes() == null ? null : record.getAttributes().get("ApproximateReceiveCount");
        try {
            return count == null ? 1 : Math.max(1, Integer.parseInt(count));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** A queue's name: the last part of its URL or of its ARN. */
    private static String name(String urlOrArn) {
        return urlOrArn.substring(Math.max(urlOrArn.lastIndexOf('/'), urlOrArn.lastIndexOf(':')) + 1);
    }
}
