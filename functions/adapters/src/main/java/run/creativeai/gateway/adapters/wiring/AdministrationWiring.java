package run.creativeai.gateway.adapters.wiring;

import run.creativeai.gateway.access.AccountAdministration;
import run.creativeai.gateway.access.TenantAdministration;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.dynamodb.DynamoDbAccounts;
import run.creativeai.gateway.concurrency.ProviderCapacity;
import run.creativeai.gateway.config.IdSource;
import run.creativeai.gateway.dispatch.PollSchedule;

/**
 * Tenant administration for the tools that run beside the functions (the tenant command, the local
 * cloud's demo tenants), with the same tables, secrets, plans and provider capacities the functions use.
 */
public final class AdministrationWiring {
    private final TenantAdministration tenants;
    private final AccountAdministration accounts;

    public AdministrationWiring(Components c) {
        Catalogues catalogues = Catalogues.configured(c.environment());
        DynamoDbAccounts store = Adapters.accounts(c);
        this.tenants = new TenantAdministration(Adapters.apiKeyHasher(c), Adapters.apiKeys(c), Adapters.signingSecrets(c),
                catalogues.plans(), store, IdSource.random(c.clock()));
        // The dispatcher's own view of provider slots, so what is set aside is exactly what it honours.
        ProviderCapacity capacity = ProviderCapacity.configured(Adapters.slots(c), catalogues.models(),
                c.environment().optional(Components.PROVIDER_CAPACITY), DispatcherWiring.minimumShare(c.environment()),
                PollSchedule.standard());
        this.accounts = new AccountAdministration(store, Adapters.apiKeys(c), catalogues.plans(), capacity, c.clock());
    }

    public TenantAdministration tenants() {
        return tenants;
    }

    public AccountAdministration accounts() {
        return accounts;
    }
}
