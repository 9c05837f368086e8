package run.creativeai.gateway.adapters.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.adapters.AwsClients;
import run.creativeai.gateway.adapters.AwsServices;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The queue depth behind the 503: what the queue itself counts as waiting, read from ElasticMQ. */
@ExtendWith(AwsServices.class)
class SqsQueueDepthTest {

    @Test
    void waitingAndDelayedJobsArePendingAndJobsBeingWorkedOnAreNot(AwsServices.Running aws) {
        try (SqsClient sqs = AwsClients.sqs(aws.environment(Map.of()))) {
            String url = sqs.createQueue(b -> b.queueName("depth-" + UUID.randomUUID())).queueUrl();
            SqsQueue queue = new SqsQueue(sqs, url);
            queue.send("{\"job_id\":\"a\"}", Duration.ZERO);
            queue.send("{\"job_id\":\"b\"}", Duration.ZERO);
            queue.send("{\"job_id\":\"c\"}", Duration.ofSeconds(30));
            assertThat(queue.pending()).isEqualTo(3);
            sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(1).visibilityTimeout(60));
            assertThat(queue.pending()).as("one job taken by a dispatcher").isEqualTo(2);
        }
    }
}
