package run.creativeai.gateway.concurrency;

import java.util.Objects;

/** The answer to a claim. */
public sealed interface SlotGrant permits SlotGrant.Granted, SlotGrant.Full {

    /** The holder has a slot (newly taken, or already held). */
    record Granted(SlotUsage usage) implements SlotGrant {
    }

    /** No room, and which limit left none. */
    record Full(Shortage limitedBy, SlotUsage usage) implements SlotGrant {
        public Full {
            Objects.requireNonNull(limitedBy, "limitedBy");
        }
    }

    /** Which limit left a claim without a slot. */
    sealed interface Shortage permits PoolFull, ClassFull, KeptForHigherTiers, TierCapFull {
        /** In the product's words, for logs and for what is recorded on a job. */
        String describe();
    }

    /** Every slot of the pool is held. */
    record PoolFull() implements Shortage {
        @Override
        public String describe() {
            return "total";
        }
    }

    /** The holder's class (say, video) holds every slot its own cap allows. */
    record ClassFull(String holderClass) implements Shortage {
        @Override
        public String describe() {
            return holderClass;
        }
    }

    /** The standard tier as a whole runs as many jobs of this kind as its cap allows ({@link TierCaps}). */
    record TierCapFull(String kind) implements Shortage {
        @Override
        public String describe() {
            return "standard tier " + kind;
        }
    }

    /** Slots are free, but kept for higher-tier work waiting for them ({@link ProviderCapacity}). */
    record KeptForHigherTiers() implements Shortage {
        @Override
        public String describe() {
            return "reserved";
        }
    }
}
