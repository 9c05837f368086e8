package run.creativeai.gateway.adapters.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Each record's failure is reported on its own, and only an exception's asks for an early retry. */
class SqsBatchesTest {

    @Test
    void aRecordThatThrewIsReportedAndRetriedSoonWhileOneWhoseWorkerBrokeWaitsOutItsVisibilityTimeout() {
        List<String> retried = new CopyOnWriteArrayList<>();
        SqsBatches batches = new SqsBatches(4, record -> retried.add(record.getMessageId()));
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message("ok"), message("transient"), message("broken")));

        SQSBatchResponse response = batches.process(event, record -> {
            switch (record.getBody()) {
                case "transient" -> throw new IllegalStateException("a call timed out");
                case "broken" -> throw new StackOverflowError();
                default -> {
                }
            }
        });

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactlyInAnyOrder("transient", "broken");
        assertThat(retried).containsExactly("transient");
    }

    private static SQSEvent.SQSMessage message(String id) {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId(id);
        m.setBody(id);
        return m;
    }
}
