package run.creativeai.gateway.access;

import java.util.List;
import run.creativeai.gateway.billing.Balance;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantTerms;

/**
 * What a tenant owns beside its keys, as the tenant administration changes it: its credits, its terms
 * and the audit trail of both. Every change is written in one atomic write with its audit entry, so
 * nothing changes without being recorded.
 */
public interface AccountStore {
    Balance balance(TenantId tenant);

    /** Adds credits to what the tenant may spend; the balance afterwards. */
    Balance addCredits(TenantId tenant, long credits, AuditEntry entry);

    /** Sets what the tenant may spend, if it is still {@code expected}; false (nothing changed) if not. */
    boolean setCredits(TenantId tenant, long expected, long credits, AuditEntry entry);

    /** The tenant's terms; {@link TenantTerms#none()} for a tenant that has none. */
    TenantTerms terms(TenantId tenant);

    /** Writes {@code next} if the stored terms are still at {@code next.version() - 1}; false (nothing changed) if not. */
    boolean replaceTerms(TenantId tenant, TenantTerms next, AuditEntry entry);

    /** Records a change made elsewhere (a key's budget, on the key's item). */
    void record(TenantId tenant, AuditEntry entry);

    /** The latest {@code limit} entries of the tenant's audit trail, newest first. */
    List<AuditEntry> audit(TenantId tenant, int limit);
}
