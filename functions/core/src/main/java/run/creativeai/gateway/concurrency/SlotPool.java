package run.creativeai.gateway.concurrency;

import java.time.Instant;

/**
 * Bounded sets of slots shared by every function instance: a tenant's concurrent tasks, a
 * provider's capacity, and the jobs waiting for a provider. A slot is held by a named holder (a job id), so taking it again is a no-op
 * and giving it back frees it exactly once. Every slot is leased: a holder that never gives its slot
 * back (a crashed worker, a message lost to a dead-letter queue) loses it when the lease ends, and
 * the next claim on the pool takes the expired slot over in the same atomic write.
 */
public interface SlotPool {

    /**
     * Takes a slot for {@code claim.holder()} if the pool and the holder's class have room, or
     * confirms it already holds one; a holder claiming again has its lease extended towards
     * {@code claim.leaseUntil()} (which is how a holder that keeps asking keeps its slot).
     */
    SlotGrant acquire(SlotClaim claim, Instant now);

    /**
     * Gives the holder's slot back; true only for the one call that freed it.
     *
     * @param holderClass the class it was claimed with (a hint: a slot held under another class is still found)
     */
    boolean release(String pool, String holder, java.util.Optional<String> holderClass);

    /** How many unexpired slots are held, in total and by class. */
    SlotUsage usage(String pool, Instant now);
}
