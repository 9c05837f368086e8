package run.creativeai.gateway.access;

import java.util.Objects;
import java.util.Optional;
import run.creativeai.gateway.plan.Plan;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantStanding;
import run.creativeai.gateway.tenant.TenantTerms;

/**
 * The authenticated caller of one request.
 *
 * @param plan             the plan as it applies to this tenant: its custom limits already over the plan's numbers
 * @param terms            the tenant's own terms, which its jobs carry to the dispatcher
 * @param maxCreditsPerDay the key's daily budget of credits, if it has one
 */
public record Principal(TenantId tenantId, KeyId keyId, Plan plan, TenantStanding standing, TenantTerms terms,
        Optional<Long> maxCreditsPerDay) {

    public Principal {
        Objects.requireNonNull(terms, "terms");
        Objects.requireNonNull(maxCreditsPerDay, "maxCreditsPerDay");
    }

    /** A caller on its plan's own terms, with no key budget. */
    public Principal(TenantId tenantId, KeyId keyId, Plan plan, TenantStanding standing) {
        this(tenantId, keyId, plan, standing, TenantTerms.none(), Optional.empty());
    }
}
