package run.creativeai.gateway.admission;

import run.creativeai.gateway.plan.Tier;

/** How many jobs wait in a tier's queue, as the queue itself reports it (approximate, never a counter of ours). */
@FunctionalInterface
public interface QueueDepth {
    long pending(Tier tier);
}
