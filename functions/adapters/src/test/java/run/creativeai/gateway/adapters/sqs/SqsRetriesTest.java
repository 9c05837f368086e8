package run.creativeai.gateway.adapters.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.adapters.AwsClients;
import run.creativeai.gateway.adapters.AwsServices;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** A record that failed comes back to its queue after a back-off of seconds, not after the queue's visibility timeout. */
@ExtendWith(AwsServices.class)
class SqsRetriesTest {

    @Test
    void aFailedRecordIsReceivableAgainAfterItsBackOffWhileTheQueueWouldHoldItTwelveMinutes(AwsServices.Running aws) {
        try (SqsClient sqs = AwsClients.sqs(aws.environment(Map.of()))) {
            String name = "retries-" + UUID.randomUUID();
            String url = sqs.createQueue(b -> b.queueName(name).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT,
                    "720"))).queueUrl();
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("{\"job_id\":\"a\"}"));
            Message taken = receive(sqs, url).get(0);
            // A second failure with the least jitter: 13 s (half of 25), long enough to see it out of
            // sight first on any machine, far inside the queue's 720 s.
            new SqsRetries(() -> sqs, List.of(url), () -> 0.0).later(record(taken, name, 2));

            assertThat(receive(sqs, url)).as("still out of sight just after the failure").isEmpty();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> !receive(sqs, url).isEmpty());
        }
    }

    @Test
    void eachReceiveWaitsFiveTimesLongerUpToTenMinutesWithJitterOfHalfTheWait() {
        assertThat(List.of(1, 2, 3, 4, 5, 9).stream().map(n -> SqsRetries.wait(n, 0.999_999).toSeconds()).toList())
                .containsExactly(5L, 25L, 125L, 600L, 600L, 600L);
        assertThat(List.of(1, 2, 3, 4).stream().map(n -> SqsRetries.wait(n, 0.0).toSeconds()).toList())
                .as("the least jitter halves each wait").containsExactly(3L, 13L, 63L, 300L);
    }

    @Test
    void aRecordOfAQueueItWasNotToldOfKeepsTheVisibilityTimeoutAndMakesNoCall() {
        SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
        record.setMessageId("m");
        record.setReceiptHandle("handle");
        record.setEventSourceArn("arn:aws:sqs:us-east-1:000000000000:some-other-queue");
        new SqsRetries(() -> {
            throw new AssertionError("no SQS call for a queue it does not know");
        }, List.of("http://127.0.0.1:9324/000000000000/jobs"), () -> 0.5).later(record);
    }

    private static List<Message> receive(SqsClient sqs, String url) {
        return sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(1).waitTimeSeconds(0)).messages();
    }

    /** The message as the event source mapping hands it to the function. */
    private static SQSEvent.SQSMessage record(Message m, String queue, int receives) {
        SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
        record.setMessageId(m.messageId());
        record.setReceiptHandle(m.receiptHandle());
        record.setBody(m.body());
        record.setEventSourceArn("arn:aws:sqs:us-east-1:000000000000:" + queue);
        record.setAttributes(Map.of("ApproximateReceiveCount", Integer.toString(receives)));
        return record;
    }
}
