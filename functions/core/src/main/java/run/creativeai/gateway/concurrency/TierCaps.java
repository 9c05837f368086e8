package run.creativeai.gateway.concurrency;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.plan.Tier;

/**
 * Seed 000's caps on the standard tier as a whole: all work of every tenant that is not enterprise
 * runs at most so many video and so many image jobs at once (100 and 500 by default; the template's
 * StandardTierVideoJobs and StandardTierImageJobs). A job takes a slot of its kind's cap when it
 * starts, beside its tenant's own slot, and gives both back when it ends; a job that finds the cap
 * full waits in its queue, as for its tenant's concurrency. Enterprise work is outside the cap.
 *
 * <p>Sharded ({@link PoolShards}): the image and video caps are each split over {@code shards} pools
 * (one DynamoDB item each), so a write touches an item of a shard's holders, not of all of them
 * (DynamoDB bills a write by the item's size, and 500 holders make a 25 KB item), and the writes
 * spread over partitions. The trainings' cap stays one pool: a training holds its trainer for
 * minutes, so the tier's 20 trainings start a few times a minute at most, which one item serves many
 * times over, while split over 16 pools its 20 slots made 1-slot pools, and a training waited whenever
 * another held its pool's one slot, with up to 19 of the 20 free. Changing a kind's shard count leaves
 * running jobs' slots in their old shards, where their leases end them.
 */
public final class TierCaps {
    /** The kinds whose cap is one pool whatever the shard count: their jobs start a few times a minute at most. */
    private static final Set<JobKind> ONE_POOL = EnumSet.of(JobKind.TRAINING);

    private final SlotPool slots;
    private final Map<JobKind, Long> caps;
    private final Map<JobKind, PoolShards> shards = new EnumMap<>(JobKind.class);
    private final Map<JobKind, Duration> leases;

    /**
     * @param caps   jobs of each kind the standard tier runs at once
     * @param shards pools the image and video caps are each split over, at least 1 and at most the smaller
     * @param leases how long a slot is leased, per kind: the longest a job can run
     */
    public TierCaps(SlotPool slots, Map<JobKind, Long> caps, int shards, Map<JobKind, Duration> leases) {
        for (JobKind kind : JobKind.values()) {
            long cap = caps.getOrDefault(kind, 0L);
            if (cap < 1) {
                throw new IllegalArgumentException("the standard tier's cap on " + kind.wireName()
                        + " jobs must be a positive number");
            }
            if (!ONE_POOL.contains(kind) && (shards < 1 || shards > cap)) {
                throw new IllegalArgumentException("the standard tier's caps are split over 1 to " + cap
                        + " shards (the " + kind.wireName() + " cap), not " + shards);
            }
            this.shards.put(kind, new PoolShards(ONE_POOL.contains(kind) ? 1 : shards));
        }
        this.slots = slots;
        this.caps = Map.copyOf(caps);
        this.leases = Map.copyOf(leases);
    }

    /** The pool of one shard of a kind's cap. */
    public static String pool(JobKind kind, int shard) {
        return "tier#standard#" + kind.wireName() + "#" + shard;
    }

    /** The shard a job's slot is in: the same for every call about the job, so a release finds it. */
    int shardOf(JobKind kind, JobId job) {
        return shards.get(kind).of(job);
    }

    /** A shard's part of the cap: the cap split evenly, the first shards taking one more of what is left over. */
    long capOf(JobKind kind, int shard) {
        return shards.get(kind).part(caps.get(kind), shard);
    }

    /** Takes the job's slot under its kind's cap; an enterprise job is outside the cap and always gets one. */
    SlotGrant take(Job job, Instant now) {
        if (job.tier() == Tier.ENTERPRISE) {
            return new SlotGrant.Granted(SlotUsage.empty());
        }
        JobKind kind = job.request().kind();
        int shard = shardOf(kind, job.id());
        SlotGrant grant = slots.acquire(new SlotClaim(pool(kind, shard), job.id().value(), Optional.empty(),
                capOf(kind, shard), Map.of(), now.plus(leases.get(kind))), now);
        return grant instanceof SlotGrant.Full full ? new SlotGrant.Full(new SlotGrant.TierCapFull(kind.wireName()),
                full.usage()) : grant;
    }

    /** Gives the job's slot back, if it holds one; true only for the one call that freed it. */
    boolean release(Job job) {
        if (job.tier() == Tier.ENTERPRISE) {
            return false;
        }
        JobKind kind = job.request().kind();
        return slots.release(pool(kind, shardOf(kind, job.id())), job.id().value(), Optional.empty());
    }

    /** Standard-tier jobs of a kind running now, over every shard. */
    public long running(JobKind kind, Instant now) {
        long running = 0;
        for (int shard = 0; shard < shards.get(kind).count(); shard++) {
            running += slots.usage(pool(kind, shard), now).active();
        }
        return running;
    }

    public long cap(JobKind kind) {
        return caps.get(kind);
    }
}
