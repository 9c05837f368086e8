package run.creativeai.gateway.adapters.wiring;

import run.creativeai.gateway.access.TenantAdministration;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.config.IdSource;

/**
 * Tenant administration for the tools that run beside the functions (the tenant command, the local
 * cloud's demo tenants), with the same tables, secrets and plans the functions use.
 */
public final class AdministrationWiring {
    private final TenantAdministration tenants;

    public AdministrationWiring(Components c) {
        this.tenants = new TenantAdministration(Adapters.apiKeyHasher(c), Adapters.apiKeys(c), Adapters.signingSecrets(c),
                Catalogues.configured(c.environment()).plans(), IdSource.random(c.clock()));
    }

    public TenantAdministration tenants() {
        return tenants;
    }
}
