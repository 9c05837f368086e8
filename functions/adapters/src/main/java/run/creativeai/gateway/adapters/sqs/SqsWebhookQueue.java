package run.creativeai.gateway.adapters.sqs;

import java.time.Duration;
import run.creativeai.gateway.webhook.WebhookQueue;
import run.creativeai.gateway.webhook.WebhookTask;

/** Webhook delivery attempts as (delayed) SQS messages. */
public final class SqsWebhookQueue implements WebhookQueue {
    private final SqsQueue queue;

    public SqsWebhookQueue(SqsQueue queue) {
        this.queue = queue;
    }

    @Override
    public void enqueue(WebhookTask task, Duration delay) {
        queue.send(task.toMessage(), delay);
    }
}
