package run.creativeai.gateway.access;

import run.creativeai.gateway.plan.Plan;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantStanding;

/** The authenticated caller of one request. */
public record Principal(TenantId tenantId, KeyId keyId, Plan plan, TenantStanding standing) {
}
