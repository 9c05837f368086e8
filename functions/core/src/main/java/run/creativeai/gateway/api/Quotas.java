package run.creativeai.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.admission.AdmissionService;
import run.creativeai.gateway.billing.CreditBalances;
import run.creativeai.gateway.concurrency.TenantConcurrency;
import run.creativeai.gateway.limits.LimitState;

/**
 * Where a key stands on every rule, on its tenant's concurrency and on its tenant's credits, as
 * {@link QuotaReport} shows it: the quota route's body, and the body of the daily-quota 403.
 */
public final class Quotas {
    private final AdmissionService admissions;
    private final TenantConcurrency concurrency;
    private final CreditBalances balances;

    public Quotas(AdmissionService admissions, TenantConcurrency concurrency, CreditBalances balances) {
        this.admissions = admissions;
        this.concurrency = concurrency;
        this.balances = balances;
    }

    /** The report, with {@code readStates} (the read limit, when the request was a read) before the creation rules. */
    public ObjectNode body(Principal principal, List<LimitState> readStates, Instant now) {
        List<LimitState> states = new ArrayList<>(readStates);
        states.addAll(admissions.standing(principal));
        return QuotaReport.body(principal, states, concurrency.running(principal.tenantId(), now),
                balances.balance(principal.tenantId()), now);
    }
}
