package run.creativeai.gateway.adapters.sqs;

import java.time.Duration;
import run.creativeai.gateway.status.StatusAnnouncements;
import run.creativeai.gateway.webhook.NoticeBroadcast;
import run.creativeai.gateway.webhook.NoticeEvent;

/** Status notices go to the webhook queue as broadcasts, which the webhook function fans out to the subscriptions. */
public final class SqsStatusAnnouncements implements StatusAnnouncements {
    private final SqsQueue webhookQueue;

    public SqsStatusAnnouncements(SqsQueue webhookQueue) {
        this.webhookQueue = webhookQueue;
    }

    @Override
    public void announce(NoticeEvent event) {
        webhookQueue.send(new NoticeBroadcast(event).toMessage(), Duration.ZERO);
    }
}
