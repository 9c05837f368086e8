package run.creativeai.gateway.status;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where incidents and maintenance windows are kept: the open ones read whole and consistently, the
 * closed ones by when they closed, so a week of history is one read however long the record grows.
 */
public interface NoticeStore {
    List<Notice> open();

    /** Notices closed at or after {@code from}, newest first. */
    List<Notice> closedSince(Instant from);

    Optional<Notice> find(String id);

    /** Stores a new notice; false when one with its id exists already (an automatic incident opened twice). */
    boolean create(Notice notice);

    /**
     * Replaces {@code current} with {@code next} (its next version; a closed one moves to the
     * history), unless the notice changed since {@code current} was read: false then, nothing written.
     */
    boolean replace(Notice current, Notice next);

    /** How many updates of each notice have been announced to the subscriptions. */
    Map<String, Integer> announced(Collection<String> ids);

    /** Records that the updates of notice {@code id} up to {@code number} were announced. */
    void markAnnounced(String id, int number);
}
