package run.creativeai.gateway.concurrency;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.ProviderAttempt;
import run.creativeai.gateway.model.Model;
import run.creativeai.gateway.plan.Tier;
import run.creativeai.gateway.tenant.TenantId;

/**
 * The provider slot of each attempt, for the attempt's whole life: the one place a provider slot is
 * taken ({@link #take}, when the attempt begins) and given back ({@link AttemptSlot#release}, however
 * it ends: a result, a failover, a cancel, a lost race, a worker that died). Who holds a slot is
 * named by job and attempt number, so a slot taken or given back twice is still one slot.
 */
public final class AttemptSlots {
    private final ProviderCapacity capacity;

    public AttemptSlots(ProviderCapacity capacity) {
        this.capacity = capacity;
    }

    /** Whether an attempt found a slot at its provider. */
    public sealed interface Room permits Taken, Full {
    }

    /** The attempt holds this slot until it is released. */
    public record Taken(AttemptSlot slot) implements Room {
    }

    /** No slot for the job's tier; {@code why} says so in the words recorded on the job. */
    public record Full(String why) implements Room {
    }

    /** Takes the slot that attempt {@code number} of the job needs on {@code link}'s provider, by tier priority. */
    public Room take(Job job, int number, Model link, Instant now) {
        String provider = link.provider();
        SlotGrant grant = capacity.take(job, number, provider, now);
        if (grant instanceof SlotGrant.Full full) {
            return new Full("capacity: " + (full.limitedBy() instanceof SlotGrant.PoolFull
                    ? "all " + capacity.capacity(provider) + " slots the gateway keeps for " + provider + " are in use"
                    : provider + "'s free slots are kept for waiting higher-tier jobs"));
        }
        return new Taken(new AttemptSlot(job, number, provider));
    }

    /** The slot a recorded attempt holds, or held. */
    public AttemptSlot of(Job job, ProviderAttempt attempt) {
        return new AttemptSlot(job, attempt.number(), attempt.provider());
    }

    /** One attempt's slot at its provider: one of its tenant's dedicated slots there, or one of the provider's. */
    public final class AttemptSlot {
        private final JobId job;
        private final TenantId tenant;
        private final int dedicated;
        private final Tier tier;
        private final int attempt;
        private final String provider;

        private AttemptSlot(Job job, int attempt, String provider) {
            this.job = job.id();
            this.tenant = job.tenantId();
            this.tier = job.tier();
            this.attempt = attempt;
            this.provider = Objects.requireNonNull(provider, "provider");
            this.dedicated = job.terms().dedicatedSlots(provider);
        }

        /** The attempt is over, however it ended: the slot is free again. True only for the one call that freed it. */
        public boolean release() {
            return capacity.release(job, tenant, dedicated, tier, attempt, provider);
        }

        /**
         * The job lost a race after this slot was taken (another writer changed it first): the slot is
         * given back, unless the winner's attempt of the same number is on the same provider, which
         * then holds this very slot and gives it back when that attempt ends.
         */
        public void abandon(Optional<Job> winner) {
            boolean winnerHoldsIt = winner.flatMap(j -> j.attempts().stream().filter(a -> a.number() == attempt)
                    .findFirst()).filter(a -> a.provider().equals(provider)).isPresent();
            if (!winnerHoldsIt) {
                release();
            }
        }

        public String provider() {
            return provider;
        }

        public int attempt() {
            return attempt;
        }
    }
}
