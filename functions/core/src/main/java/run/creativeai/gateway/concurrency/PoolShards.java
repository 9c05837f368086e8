package run.creativeai.gateway.concurrency;

import run.creativeai.gateway.job.JobId;

/**
 * How a bounded pool is split over several items so that no single DynamoDB item takes every write
 * (a partition takes at most 1,000 write units a second, and a pool's item grows with its holders):
 * each shard holds a part of the pool's capacity, the parts adding up to it, so the whole is never
 * exceeded; a job always uses the shard its id names, so whoever gives its slot back finds it. The
 * price is that near the limit a job may wait while another shard has room. One shard is the pool
 * as one item, exact.
 *
 * @param count shards, at least 1
 */
public record PoolShards(int count) {
    public PoolShards {
        if (count < 1) {
            throw new IllegalArgumentException("a pool is split over at least one shard, not " + count);
        }
    }

    /** As many shards as {@code capacity} needs for each to hold at most {@code slotsPerShard} slots. */
    public static PoolShards holding(long capacity, int slotsPerShard) {
        if (slotsPerShard < 1) {
            throw new IllegalArgumentException("a shard holds at least one slot, not " + slotsPerShard);
        }
        return new PoolShards((int) Math.max(1, Math.min(Integer.MAX_VALUE, (capacity + slotsPerShard - 1) / slotsPerShard)));
    }

    /** The shard of a job: the same for every call about the job. */
    public int of(JobId job) {
        return Math.floorMod(job.value().hashCode(), count);
    }

    /** A shard's part of {@code total}: split evenly, the first shards taking one more of what is left over. */
    public long part(long total, int shard) {
        return total / count + (shard < total % count ? 1 : 0);
    }
}
