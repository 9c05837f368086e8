package run.creativeai.gateway.webhook;

import java.time.Duration;

/** The queue that carries delivery attempts; its delay is what spaces the retries, no function waits. */
public interface WebhookQueue {
    void enqueue(WebhookTask task, Duration delay);
}
