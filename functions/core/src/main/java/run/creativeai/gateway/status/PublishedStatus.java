package run.creativeai.gateway.status;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The published status document as the API serves it: one read of one item, at most once a second
 * per instance, so a burst of readers of the public route costs the table next to nothing and an
 * instance shows a change within a second of its publication.
 */
public final class PublishedStatus {
    public static final Duration FRESH_FOR = Duration.ofSeconds(1);

    private final StatusPublication publication;
    private final Clock clock;
    private Optional<String> document = Optional.empty();
    private Instant readAt = Instant.MIN;

    public PublishedStatus(StatusPublication publication, Clock clock) {
        this.publication = publication;
        this.clock = clock;
    }

    public synchronized Optional<String> current() {
        Instant now = clock.instant();
        if (readAt.equals(Instant.MIN) || !now.isBefore(readAt.plus(FRESH_FOR)) || now.isBefore(readAt)) {
            document = publication.current();
            readAt = now;
        }
        return document;
    }
}
