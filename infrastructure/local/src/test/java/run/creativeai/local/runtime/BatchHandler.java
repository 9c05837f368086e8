package run.creativeai.local.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A test queue consumer: reports every message whose body starts with {@code fail} as failed, and
 * those starting with {@code poison} until {@link #CURED} is set (a fix was deployed); records what it saw.
 */
public final class BatchHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    /** Each record seen: body, receive count, batch size. */
    public record Seen(String body, int receiveCount, int batchSize, String eventSourceArn) {
    }

    public static final List<Seen> SEEN = new CopyOnWriteArrayList<>();
    public static final AtomicBoolean CURED = new AtomicBoolean();

    public BatchHandler(Map<String, String> environment) {
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            SEEN.add(new Seen(message.getBody(), Integer.parseInt(message.getAttributes().get("ApproximateReceiveCount")),
                    event.getRecords().size(), message.getEventSourceArn()));
            if (message.getBody().startsWith("fail") || (message.getBody().startsWith("poison") && !CURED.get())) {
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }
}
