package run.creativeai.gateway.adapters.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A function fed by SQS event source mappings: each batch's records handled side by side, each
 * failure reported on its own and tried again after the subclass's back-off ({@link SqsBatches});
 * primed with one harmless message, then the rehearsals of the writes it stops short of. A subclass
 * says what a record is and what the priming sends.
 */
public abstract class SqsFunction extends LambdaFunction<SQSEvent, SQSBatchResponse> {
    /** Records of one batch handled at once (the mappings' batch size). */
    private static final int PARALLELISM = 10;

    private final SqsBatches batches;

    /** @param retry when a record that failed is tried again ({@code SqsRetries}: soon, backing off) */
    protected SqsFunction(SqsBatches.Retry retry) {
        this.batches = new SqsBatches(PARALLELISM, retry);
    }

    /** Handles one record; throwing sends it back to its queue. */
    protected abstract void handle(SQSEvent.SQSMessage record);

    /** A message of this function's own kind that changes nothing where it is handled (a job that does not exist). */
    protected abstract String primingMessage();

    /** The writes the priming message stops short of, rehearsed so they change nothing. */
    protected abstract void rehearse();

    @Override
    protected final SQSEvent read(InputStream event) throws IOException {
        return LambdaJson.sqsEvent(event);
    }

    @Override
    protected final void write(SQSBatchResponse answer, OutputStream out) throws IOException {
        LambdaJson.write(answer, out);
    }

    @Override
    protected final SQSBatchResponse handle(SQSEvent event) {
        return batches.process(event, this::handle);
    }

    @Override
    protected final void prime() {
        handleRequest(Priming.sqs(primingMessage()), null);
        rehearse();
    }
}
