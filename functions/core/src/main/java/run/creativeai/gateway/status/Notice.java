package run.creativeai.gateway.status;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Something the status page tells its readers beside the components' states: an incident, or a
 * maintenance window. A notice is open until it is resolved, completed or cancelled; every change is
 * an update of its timeline, and each update is announced to the status subscriptions once.
 * {@code version} counts the notice's writes, for optimistic concurrency.
 */
public sealed interface Notice permits Incident, Maintenance {
    String id();

    String title();

    List<ComponentId> components();

    List<NoticeUpdate> updates();

    long version();

    boolean isOpen();

    /** When it was resolved, completed or cancelled. */
    Optional<Instant> closedAt();

    /** The event type that announces {@code update}: {@code status.incident.opened}, ... */
    String eventType(NoticeUpdate update);

    default NoticeUpdate latest() {
        return updates().get(updates().size() - 1);
    }
}
