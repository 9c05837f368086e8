package run.creativeai.gateway.function.webhook;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Clock;
import java.util.Map;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.lambda.Priming;
import run.creativeai.gateway.adapters.lambda.SqsFunction;
import run.creativeai.gateway.adapters.sqs.SqsRetries;
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
public final class WebhookHandler extends SqsFunction {
    private final WebhookDelivery delivery;
    private final WebhookBroadcast broadcast;
    // A delivery's writes, signature and POST, rehearsed so they change nothing and reach no one
    // (WebhookWiring#rehearsal).
    private final Runnable rehearsal;

    public WebhookHandler() {
        this(System.getenv());
    }

    public WebhookHandler(Map<String, String> environment) {
        this(new Components(FunctionEnvironment.of(environment), Clock.systemUTC()));
    }

    WebhookHandler(Components c) {
        // A record that failed comes back in seconds, not after the queue's visibility timeout.
        super(SqsRetries.of(c::sqs, c.environment(), Components.WEBHOOK_QUEUE_URL));
        WebhookWiring wiring = new WebhookWiring(c);
        this.delivery = wiring.delivery();
        this.broadcast = wiring.broadcast();
        this.rehearsal = wiring.rehearsal();
    }

    /** A delivery task for a job that does not exist. */
    @Override
    protected String primingMessage() {
        return "{\"job_id\":\"" + Priming.NO_JOB + "\",\"attempt\":1}";
    }

    @Override
    protected void rehearse() {
        rehearsal.run();
    }

    @Override
    protected void handle(SQSEvent.SQSMessage record) {
        WebhookMessage message = WebhookMessage.read(record.getBody()).orElseThrow(
                () -> new IllegalArgumentException("message " + record.getMessageId() + " is not a webhook task"));
        if (message instanceof NoticeBroadcast notice) {
            broadcast.fanOut(notice);
        } else {
            delivery.deliver((WebhookTask) message);
        }
    }
}
