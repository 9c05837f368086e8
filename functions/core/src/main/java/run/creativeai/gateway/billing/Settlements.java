package run.creativeai.gateway.billing;

import run.creativeai.gateway.job.Job;

/**
 * Settles an ended job's credits: keeps what it cost, gives the rest of its reservation back to its
 * tenant's balance, and adds it to its tenant's usage. Exactly once per job, however often it is
 * asked, so every path that ends a job or finds one ended may ask; a job that has not ended is left
 * alone.
 */
@FunctionalInterface
public interface Settlements {
    void settle(Job job);
}
