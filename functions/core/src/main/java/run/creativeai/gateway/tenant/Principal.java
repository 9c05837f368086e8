package run.creativeai.gateway.tenant;

import run.creativeai.gateway.plan.Plan;

/** The authenticated caller of one request. */
public record Principal(TenantId tenantId, KeyId keyId, Plan plan, TenantStanding standing) {
}
