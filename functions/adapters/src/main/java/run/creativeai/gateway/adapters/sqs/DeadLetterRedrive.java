package run.creativeai.gateway.adapters.sqs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.json.Json;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Dead-letter queues and their redrive, for an operator: each queue's redrive policy names its
 * dead-letter queue (as template.yaml sets it), and a redrive is SQS's own message move task from
 * that dead-letter queue back to the queue, so messages keep their bodies and attributes and the
 * move runs inside SQS however many there are.
 */
public final class DeadLetterRedrive {
    /** Move tasks end in one of these. */
    private static final List<String> ENDED = List.of("COMPLETED", "CANCELLED", "FAILED");

    private final SqsClient sqs;
    private final List<String> queueUrls;

    /** @param queueUrls the queues whose dead letters are looked at (queues without a redrive policy are skipped) */
    public DeadLetterRedrive(SqsClient sqs, List<String> queueUrls) {
        this.sqs = sqs;
        this.queueUrls = List.copyOf(queueUrls);
    }

    /** A queue with a dead-letter queue, and how many messages wait there. */
    public record DeadLetters(String queueArn, String deadLetterArn, String deadLetterUrl, long waiting) {
        public String queueName() {
            return queueArn.substring(queueArn.lastIndexOf(':') + 1);
        }
    }

    /** What one redrive moved back. */
    public record Moved(DeadLetters from, String status, long moved) {
    }

    /** Every queue with a dead-letter queue, with the count waiting there. */
    public List<DeadLetters> deadLetters() {
        List<DeadLetters> all = new ArrayList<>();
        for (String url : queueUrls) {
            Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url)
                    .attributeNames(QueueAttributeName.QUEUE_ARN, QueueAttributeName.REDRIVE_POLICY)).attributes();
            Optional<String> target = Optional.ofNullable(attributes.get(QueueAttributeName.REDRIVE_POLICY))
                    .map(Json::read).map(policy -> policy.path("deadLetterTargetArn").asText(null));
            if (target.isEmpty()) {
                continue;
            }
            String[] arn = target.get().split(":");
            String deadLetterUrl = sqs.getQueueUrl(b -> b.queueName(arn[5]).queueOwnerAWSAccountId(arn[4])).queueUrl();
            long waiting = Long.parseLong(sqs.getQueueAttributes(b -> b.queueUrl(deadLetterUrl)
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                    .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
            all.add(new DeadLetters(attributes.get(QueueAttributeName.QUEUE_ARN), target.get(), deadLetterUrl, waiting));
        }
        return all;
    }

    /**
     * Moves the dead letters of every queue (or of those named) back to their queue, and waits up
     * to {@code patience} for each move to end.
     */
    public List<Moved> redrive(List<String> onlyQueueNames, Duration patience) throws InterruptedException {
        List<Moved> moved = new ArrayList<>();
        for (DeadLetters letters : deadLetters()) {
            if (letters.waiting() == 0 || (!onlyQueueNames.isEmpty() && !onlyQueueNames.contains(letters.queueName()))) {
                continue;
            }
            sqs.startMessageMoveTask(b -> b.sourceArn(letters.deadLetterArn()).destinationArn(letters.queueArn()));
            moved.add(awaitEnd(letters, Instant.now().plus(patience)));
        }
        return moved;
    }

    private Moved awaitEnd(DeadLetters letters, Instant deadline) throws InterruptedException {
        while (true) {
            List<ListMessageMoveTasksResultEntry> tasks = sqs.listMessageMoveTasks(b -> b.sourceArn(letters.deadLetterArn())
                    .maxResults(1)).results();
            ListMessageMoveTasksResultEntry latest = tasks.isEmpty() ? null : tasks.get(0);
            String status = latest == null ? "UNKNOWN" : latest.status();
            long count = latest == null || latest.approximateNumberOfMessagesMoved() == null ? 0
                    : latest.approximateNumberOfMessagesMoved();
            if (ENDED.contains(status) || Instant.now().isAfter(deadline)) {
                return new Moved(letters, status, count);
            }
            Thread.sleep(200);
        }
    }
}
