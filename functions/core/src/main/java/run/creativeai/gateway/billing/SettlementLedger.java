package run.creativeai.gateway.billing;

/**
 * Where settlements are written: the balance, the usage counters and the key budget, all in one
 * atomic write together with a record of the settlement itself, conditional on there being none
 * yet. That record is what makes a settlement happen once whatever repeats.
 */
@FunctionalInterface
public interface SettlementLedger {
    /** Writes the settlement; false when this job was settled already (and nothing was written). */
    boolean record(Settlement settlement);
}
