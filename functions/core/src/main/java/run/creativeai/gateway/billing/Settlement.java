package run.creativeai.gateway.billing;

import java.util.Objects;
import java.util.Optional;
import run.creativeai.gateway.job.Charge;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.tenant.TenantId;

/**
 * Everything one ended job's settlement writes, decided from the job alone: the charge against its
 * reservation, its line of usage, and the part of its key's daily budget it gives back. The ledger
 * writes it all at once, once.
 */
public record Settlement(JobId job, TenantId tenant, Charge charge, UsageEntry usage, Optional<BudgetRefund> budget) {
    public Settlement {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(charge, "charge");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(budget, "budget");
    }

    /**
     * Credits given back to a key's daily budget ({@link run.creativeai.gateway.limits.KeyBudget}), in
     * the window the job was counted in; a window that has since ended is left as it was.
     *
     * @param owner       the key id the budget counts under
     * @param windowIndex the budget's window (UTC day) the job was admitted in
     */
    public record BudgetRefund(String owner, long windowIndex, long credits) {
        public BudgetRefund {
            if (credits < 1) {
                throw new IllegalArgumentException("a refund gives back at least one credit");
            }
        }
    }
}
