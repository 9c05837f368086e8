package run.creativeai.gateway.testing;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.idempotency.IdempotencyKey;
import run.creativeai.gateway.idempotency.IdempotencyStore;
import run.creativeai.gateway.idempotency.StoredResponse;

/** The idempotency store's contract in memory, with the same expiry rules as the DynamoDB store. */
public final class InMemoryIdempotencyStore implements IdempotencyStore {
    private record Entry(String fingerprint, String claimId, Instant inProgressUntil, Instant expiresAt,
            Optional<StoredResponse> response) {
    }

    private final Map<IdempotencyKey, Entry> entries = new HashMap<>();

    @Override
    public synchronized Claim claim(IdempotencyKey key, String fingerprint, String claimId, Instant now,
            Instant inProgressUntil, Instant expiresAt) {
        Entry held = entries.get(key);
        boolean free = held == null || !held.expiresAt().isAfter(now)
                || (held.response().isEmpty() && !held.inProgressUntil().isAfter(now));
        if (!free) {
            return new Held(held.fingerprint(), held.response());
        }
        entries.put(key, new Entry(fingerprint, claimId, inProgressUntil, expiresAt, Optional.empty()));
        return new Claimed();
    }

    @Override
    public synchronized boolean complete(IdempotencyKey key, String claimId, StoredResponse response, Instant expiresAt) {
        Entry held = entries.get(key);
        if (held == null || !held.claimId().equals(claimId)) {
            return false;
        }
        entries.put(key, new Entry(held.fingerprint(), claimId, held.inProgressUntil(), expiresAt, Optional.of(response)));
        return true;
    }

    @Override
    public synchronized void release(IdempotencyKey key, String claimId) {
        entries.computeIfPresent(key, (k, held) -> held.claimId().equals(claimId) && held.response().isEmpty() ? null : held);
    }
}
