package run.creativeai.gateway.status;

import run.creativeai.gateway.webhook.NoticeEvent;

/** Sends a notice event to every status subscription (through the webhook function). */
@FunctionalInterface
public interface StatusAnnouncements {
    void announce(NoticeEvent event);
}
