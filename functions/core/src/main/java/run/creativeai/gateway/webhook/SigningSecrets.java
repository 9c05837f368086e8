package run.creativeai.gateway.webhook;

import run.creativeai.gateway.tenant.TenantId;

/** Where each tenant's webhook signing secret is kept. */
@FunctionalInterface
public interface SigningSecrets {
    SigningSecret forTenant(TenantId tenant);
}
