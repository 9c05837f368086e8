package run.creativeai.gateway.billing;

import run.creativeai.gateway.tenant.TenantId;

/** Reads a tenant's credits; a tenant that never had any has {@link Balance#NONE}. */
@FunctionalInterface
public interface CreditBalances {
    Balance balance(TenantId tenant);
}
