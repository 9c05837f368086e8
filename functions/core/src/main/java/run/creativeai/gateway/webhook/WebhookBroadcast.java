package run.creativeai.gateway.webhook;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a notice into one delivery per status subscription, each the first attempt of the usual
 * schedule. A broadcast processed twice (its message redelivered) queues the same tasks again, and
 * the ledger's claims on their event ids send each once.
 */
public final class WebhookBroadcast {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookBroadcast.class);

    private final Subscribers subscribers;
    private final WebhookQueue queue;

    public WebhookBroadcast(Subscribers subscribers, WebhookQueue queue) {
        this.subscribers = subscribers;
        this.queue = queue;
    }

    /** @return how many deliveries were queued */
    public int fanOut(NoticeBroadcast broadcast) {
        int queued = 0;
        for (Subscribers.Subscriber subscriber : subscribers.all()) {
            queue.enqueue(new WebhookTask(new WebhookSubject.Notice(subscriber.tenant(), subscriber.subscriptionId(),
                    broadcast.event()), 1, false), Duration.ZERO);
            queued++;
        }
        LOG.info("notice {} ({}) queued for {} subscriptions", broadcast.event().id(), broadcast.event().type(), queued);
        return queued;
    }
}
