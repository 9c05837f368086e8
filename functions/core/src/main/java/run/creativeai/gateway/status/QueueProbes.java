package run.creativeai.gateway.status;

import java.time.Instant;
import java.util.Optional;
import run.creativeai.gateway.plan.Tier;

/**
 * How old a tier queue's oldest message is, measured with a message of its own: the status monitor
 * puts a probe on the queue and notes when; the dispatcher, which consumes the queue, takes the note
 * away when the probe reaches it. While a probe waits, the queue's oldest message is at least as old
 * as the probe; once it arrives the queue is known to move. One probe per tier waits at a time.
 */
public interface QueueProbes {
    /** When the probe now waiting on the tier's queue was sent; empty when none waits. */
    Optional<Instant> waitingSince(Tier tier);

    /**
     * When the probe waiting on the tier's queue was sent; when none waits, one is noted as sent at
     * {@code at} and put on the queue, and {@code at} is returned (empty if it could not be sent).
     */
    Optional<Instant> probe(Tier tier, Instant at);

    /** The dispatcher took the probe sent at {@code sentAt} off the tier's queue. */
    void received(Tier tier, Instant sentAt);
}
