package run.creativeai.gateway.idempotency;

import java.time.Instant;
import java.util.Optional;

/**
 * Where idempotency keys live while they count (24 hours). A key is first claimed by the request
 * that brings it (in progress), then holds that request's response (completed). Every write is
 * conditional, so of two requests racing with one key exactly one claims it.
 */
public interface IdempotencyStore {

    /**
     * Claims {@code key} for a new request, unless a record that still counts holds it. A record
     * counts until {@code expiresAt}; an in-progress one only until its {@code inProgressUntil}, after
     * which its request is taken to have died and the key is free again.
     *
     * @param claimId names this claim, so that only its owner completes or releases it
     */
    Claim claim(IdempotencyKey key, String fingerprint, String claimId, Instant now, Instant inProgressUntil,
            Instant expiresAt);

    /** Stores the response of the claim; false when the claim is no longer this request's (it expired and was taken). */
    boolean complete(IdempotencyKey key, String claimId, StoredResponse response, Instant expiresAt);

    /** Gives the key up after a request that changed nothing, so the client's retry runs afresh. */
    void release(IdempotencyKey key, String claimId);

    /** What a claim found. */
    sealed interface Claim permits Claimed, Held {
    }

    /** The key is this request's now. */
    record Claimed() implements Claim {
    }

    /**
     * Another request holds the key: with its response once it completed, without one while in progress.
     *
     * @param fingerprint what that request was, to tell a retry from a different request
     */
    record Held(String fingerprint, Optional<StoredResponse> response) implements Claim {
    }
}
