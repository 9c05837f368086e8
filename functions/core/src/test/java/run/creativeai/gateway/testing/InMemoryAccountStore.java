package run.creativeai.gateway.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import run.creativeai.gateway.access.AccountStore;
import run.creativeai.gateway.access.AuditEntry;
import run.creativeai.gateway.billing.Balance;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantTerms;

/** Tenants' credits, terms and audit trails in memory, for domain tests. */
public final class InMemoryAccountStore implements AccountStore {
    private final Map<TenantId, Balance> balances = new HashMap<>();
    private final Map<TenantId, TenantTerms> terms = new HashMap<>();
    private final Map<TenantId, List<AuditEntry>> audit = new HashMap<>();

    @Override
    public synchronized Balance balance(TenantId tenant) {
        return balances.getOrDefault(tenant, Balance.NONE);
    }

    @Override
    public synchronized Balance addCredits(TenantId tenant, long credits, AuditEntry entry) {
        Balance before = balance(tenant);
        balances.put(tenant, new Balance(before.available() + credits, before.reserved()));
        record(tenant, entry);
        return balance(tenant);
    }

    @Override
    public synchronized boolean setCredits(TenantId tenant, long expected, long credits, AuditEntry entry) {
        Balance before = balance(tenant);
        if (before.available() != expected) {
            return false;
        }
        balances.put(tenant, new Balance(credits, before.reserved()));
        record(tenant, entry);
        return true;
    }

    @Override
    public synchronized TenantTerms terms(TenantId tenant) {
        return terms.getOrDefault(tenant, TenantTerms.none());
    }

    @Override
    public synchronized boolean replaceTerms(TenantId tenant, TenantTerms next, AuditEntry entry) {
        if (terms(tenant).version() != next.version() - 1) {
            return false;
        }
        terms.put(tenant, next);
        record(tenant, entry);
        return true;
    }

    @Override
    public synchronized void record(TenantId tenant, AuditEntry entry) {
        audit.computeIfAbsent(tenant, t -> new ArrayList<>()).add(0, entry);
    }

    @Override
    public synchronized List<AuditEntry> audit(TenantId tenant, int limit) {
        List<AuditEntry> entries = audit.getOrDefault(tenant, List.of());
        return List.copyOf(entries.subList(0, Math.min(limit, entries.size())));
    }
}
