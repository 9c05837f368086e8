package run.creativeai.gateway.concurrency;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Pools that count their holders instead of naming them, for a pool that must not grow with them (the
 * jobs waiting for a provider, thousands at seed scale). A count lapses by itself: each is added to a
 * lease-end bucket and stops counting when its bucket ends, so a holder whose worker died is forgotten
 * without anyone taking it out. Each holder's {@link Tally} says where it is counted, so it can move
 * its count to a later bucket or take it out exactly once; the tally's version makes every change of
 * it conditional on the one it replaces.
 */
public interface CountedPools {

    /**
     * Adds every count to its bucket of {@code pool} in one atomic write (the bucket is created when
     * missing). A count added to a bucket that has ended changes nothing any reader sees.
     */
    void count(String pool, List<LapsingCount> counts, Instant now);

    /** The counts of a counted pool whose buckets end after {@code now}, in total and per class (never below 0). */
    SlotUsage counted(String pool, Instant now);

    /** Where {@code holder} is counted, read consistently: nowhere when it has no tally. */
    Optional<Tally> tally(String holder);

    /**
     * Stores {@code tally} in place of the one of version {@code replacing} (0: the holder has none);
     * false, with nothing changed, when the stored tally is another (or, for 0, there is one).
     */
    boolean recordTally(Tally tally, long replacing);

    /** Deletes the holder's tally if it still is version {@code version}; true only for the call that deleted it. */
    boolean forgetTally(String holder, long version);
}
