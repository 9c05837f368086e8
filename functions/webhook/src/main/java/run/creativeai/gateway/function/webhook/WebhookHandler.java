package run.creativeai.gateway.function.webhook;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Map;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.lambda.Priming;
import run.creativeai.gateway.adapters.lambda.LambdaJson;
import run.creativeai.gateway.adapters.lambda.LogContext;
import run.creativeai.gateway.adapters.lambda.SqsBatches;
import run.creativeai.gateway.adapters.wiring.WebhookWiring;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.webhook.NoticeBroadcast;
import run.creativeai.gateway.webhook.WebhookBroadcast;
import run.creativeai.gateway.webhook.WebhookDelivery;
import run.creativeai.gateway.webhook.WebhookMessage;
import run.creativeai.gateway.webhook.WebhookTask;

/**
 * The webhook function: makes each scheduled delivery attempt from the webhook queue (a job's
 * event, or a status notice to one subscription), and fans each status notice out to every
 * subscription.
 */
public final class WebhookHandler implements RequestHandler<SQSEvent, SQSBatchResponse>, RequestStreamHandler {
    private static final int PARALLELISM = 10;

    private final WebhookDelivery delivery;
    private final WebhookBroadcast broadcast;
    private final Runnable rehearsal;
    private final SqsBatches batches = new SqsBatches(PARALLELISM);
    // A task for a job that does not exist, then a delivery's writes, signature and POST, rehearsed so
    // they change nothing and reach no one (WebhookWiring#rehearsal).
    private final Priming priming = Priming.register(this, this::prime);
    private final LogContext log = new LogContext();

    public WebhookHandler() {
        this(System.getenv());
    }

    public WebhookHandler(Map<String, String> environment) {
        this(new Components(FunctionEnvironment.of(environment), Clock.systemUTC()));
    }

    WebhookHandler(Components c) {
        WebhookWiring wiring = new WebhookWiring(c);
        this.delivery = wiring.delivery();
        this.broadcast = wiring.broadcast();
        this.rehearsal = wiring.rehearsal();
    }

    private void prime() {
        handleRequest(Priming.sqs("{\"job_id\":\"" + Priming.NO_JOB + "\",\"attempt\":1}"), null);
        rehearsal.run();
    }

    /** Lambda's entry: the batch as JSON ({@link LambdaJson}). */
    @Override
    public void handleRequest(InputStream event, OutputStream result, Context context) throws IOException {
        LambdaJson.write(handleRequest(LambdaJson.sqsEvent(event), context), result);
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        try (LogContext.Invocation invocation = log.begin(context)) {
            return batches.process(event, record -> {
                WebhookMessage message = WebhookMessage.read(record.getBody()).orElseThrow(
                        () -> new IllegalArgumentException("message " + record.getMessageId() + " is not a webhook task"));
                if (message instanceof NoticeBroadcast notice) {
                    broadcast.fanOut(notice);
                } else {
                    delivery.deliver((WebhookTask) message);
                }
            });
        }
    }
}
