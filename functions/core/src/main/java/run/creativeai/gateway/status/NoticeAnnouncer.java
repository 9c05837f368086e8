package run.creativeai.gateway.status;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.webhook.NoticeEvent;

/**
 * Announces each update of a notice to the status subscriptions, and notes that it did. An
 * announcement lost between the notice's write and its sending is found by the status monitor,
 * which announces every update not noted within a minute; the event id is derived from the notice
 * and the update, so an update announced twice is one event to its receivers.
 */
public final class NoticeAnnouncer {
    private static final Logger LOG = LoggerFactory.getLogger(NoticeAnnouncer.class);

    private final NoticeStore store;
    private final StatusAnnouncements announcements;

    public NoticeAnnouncer(NoticeStore store, StatusAnnouncements announcements) {
        this.store = store;
        this.announcements = announcements;
    }

    /** Announces the notice's latest update; a failure is logged and left to the monitor. */
    public void announceLatest(Notice notice) {
        try {
            announce(notice, notice.latest());
        } catch (RuntimeException e) {
            LOG.warn("update {} of {} was not announced now; the status monitor announces it within minutes",
                    notice.latest().number(), notice.id(), e);
        }
    }

    public void announce(Notice notice, NoticeUpdate update) {
        announcements.announce(event(notice, update));
        store.markAnnounced(notice.id(), update.number());
    }

    /** The event of one update: the notice as it stood with that update, whenever it is sent. */
    public static NoticeEvent event(Notice notice, NoticeUpdate update) {
        ObjectNode data = NoticeJson.view(notice);
        ArrayNode updates = data.putArray("updates");
        for (NoticeUpdate u : notice.updates().subList(0, update.number())) {
            updates.addObject().put("number", u.number()).put("at", u.at().toString()).put("status", u.state())
                    .put("message", u.message());
        }
        data.put("status", update.state());
        return new NoticeEvent(NoticeEvent.idOf(notice.id(), update.number()), notice.eventType(update), update.at(), data);
    }
}
