package run.creativeai.gateway.concurrency;

import java.time.Instant;

/**
 * Bounded sets of slots shared by every function instance: a tenant's concurrent tasks and a
 * provider's capacity. A slot is held by a named holder (a job id), so taking it again is a no-op
 * and giving it back frees it exactly once. Every slot is leased: a holder that never gives its slot
 * back (a crashed worker, a message lost to a dead-letter queue) loses it when the lease ends, and
 * the next claim on the pool takes the expired slot over in the same atomic write. The same store
 * keeps the pools that count their holders instead ({@link CountedPools}: the jobs waiting for a
 * provider).
 */
public interface SlotPool extends CountedPools {

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

    /**
     * How many unexpired slots are held, in total and by class; slots set aside for an owner's own
     * pool ({@link #setAside}) count in the total and under {@link #SET_ASIDE}.
     */
    SlotUsage usage(String pool, Instant now);

    /** The class under which {@link #usage} reports the slots of a pool set aside for owners' own pools. */
    String SET_ASIDE = "set-aside";

    /**
     * Sets {@code slots} of {@code pool} aside for {@code owner}, in place of what was set aside for it
     * before: they count as held in {@code pool}, so no claim there takes them, even while nothing
     * uses them, and they are the capacity of {@code ownPool}, where only the owner's work claims
     * ({@link #acquireSetAside}). Both pools change in one atomic write, and exactly: setting more
     * aside needs that many slots of {@code pool} free now; setting fewer aside needs {@code ownPool}
     * to hold no more than it keeps. Otherwise nothing changes.
     *
     * @param poolCapacity the slots of {@code pool} in all; 0 slots ends the set-aside
     */
    SetAside setAside(String pool, long poolCapacity, String owner, String ownPool, long slots);

    /** Takes a slot of {@code ownPool}, whose capacity was set aside for it; full when none is free or none was set aside. */
    SlotGrant acquireSetAside(String ownPool, String holder, Instant leaseUntil, Instant now);

    /** What became of {@link #setAside}. */
    sealed interface SetAside permits SetAside.Done, SetAside.NoRoom, SetAside.StillHeld {
        /** Now {@code after} slots are set aside for the owner; {@code before} were. */
        record Done(long before, long after) implements SetAside {
        }

        /** Only {@code free} slots of the shared pool are free now: running work holds the rest. */
        record NoRoom(long free) implements SetAside {
        }

        /** The owner's own pool holds {@code held} slots now, more than it would keep. */
        record StillHeld(long held) implements SetAside {
        }
    }
}
