package run.creativeai.gateway.webhook;

import run.creativeai.gateway.tenant.TenantId;

/** Where each tenant's webhook signing secrets are kept: what the webhook function signs with. */
@FunctionalInterface
public interface SigningSecrets {
    ActiveSigningSecrets forTenant(TenantId tenant);
}
