package run.creativeai.gateway.webhook;

import java.time.Duration;
import java.time.Instant;

/**
 * Remembers, per event id, that an event was delivered (for seven days) or is being delivered right
 * now. An attempt first claims the event; only the claimant sends, so a redelivered queue message
 * never becomes a second POST after a 2xx.
 */
public interface DeliveryLedger {

    Claim claim(String eventId, Instant now, Duration lease);

    void markDelivered(String eventId, Instant now);

    /** Gives a claimed event back after a failed attempt, so the next scheduled attempt can claim it. */
    void release(String eventId);

    enum Claim {
        CLAIMED,
        ALREADY_DELIVERED,
        /** Another attempt holds a live claim; this one stands down. */
        IN_FLIGHT
    }
}
