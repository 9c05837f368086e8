package run.creativeai.gateway.billing;

import java.time.LocalDate;
import java.util.List;
import run.creativeai.gateway.tenant.TenantId;

/**
 * Reads the usage counters settlement writes. The counters are kept per tenant, day, model and key,
 * so a range of days is read in one query whose size grows with the days, models and keys used,
 * never with the number of jobs.
 */
@FunctionalInterface
public interface UsageLedger {
    /** Every counter of the tenant from {@code from} to {@code to}, both included. */
    List<UsageEntry> entries(TenantId tenant, LocalDate from, LocalDate to);
}
