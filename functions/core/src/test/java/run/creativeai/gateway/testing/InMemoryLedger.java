package run.creativeai.gateway.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import run.creativeai.gateway.webhook.DeliveryLedger;

/** The webhook dedup ledger in memory, with the DynamoDB ledger's claims and leases. */
public final class InMemoryLedger implements DeliveryLedger {
    public final Map<String, Instant> leases = new HashMap<>();
    public final List<String> delivered = new ArrayList<>();

    @Override
    public synchronized Claim claim(String eventId, Instant now, Duration lease) {
        if (delivered.contains(eventId)) {
            return Claim.ALREADY_DELIVERED;
        }
        Instant held = leases.get(eventId);
        if (held != null && held.isAfter(now)) {
            return Claim.IN_FLIGHT;
        }
        leases.put(eventId, now.plus(lease));
        return Claim.CLAIMED;
    }

    @Override
    public synchronized void markDelivered(String eventId, Instant now) {
        delivered.add(eventId);
        leases.remove(eventId);
    }

    @Override
    public synchronized void release(String eventId) {
        leases.remove(eventId);
    }
}
