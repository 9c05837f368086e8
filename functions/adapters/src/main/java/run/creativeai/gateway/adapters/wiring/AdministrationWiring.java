package run.creativeai.gateway.adapters.wiring;

import run.creativeai.gateway.access.AccountAdministration;
import run.creativeai.gateway.access.TenantAdministration;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.concurrency.ProviderCapacity;
import run.creativeai.gateway.config.IdSource;
import run.creativeai.gateway.dispatch.PollSchedule;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.status.Incidents;
import run.creativeai.gateway.status.StatusBoard;

/**
 * Administration for the tools that run beside the functions (the tenant and status commands, the
 * local cloud's demo tenants), with the same tables, secrets, plans and provider capacities the
 * functions use. Each part is built on first use, so a command that never asks for one needs none of
 * its environment.
 */
public final class AdministrationWiring {
    private final Components c;

    public AdministrationWiring(Components c) {
        this.c = c;
    }

    /** Keys, signing secrets and the tenants' accounts they are created with. */
    public TenantAdministration tenants() {
        return new TenantAdministration(Adapters.apiKeyHasher(c), Adapters.apiKeys(c), Adapters.signingSecrets(c),
                Catalogues.configured(c.environment()).plans(), Adapters.accounts(c), IdSource.random(c.clock()));
    }

    /** Balances, custom limits and reserved slots. */
    public AccountAdministration accounts() {
        Catalogues catalogues = Catalogues.configured(c.environment());
        // The dispatcher's own view of provider slots, so what is set aside is exactly what it honours.
        ProviderCapacity capacity = DispatcherWiring.providerCapacity(c, catalogues.models(), PollSchedule.standard());
        return new AccountAdministration(Adapters.accounts(c), Adapters.apiKeys(c), catalogues.plans(), capacity, c.clock());
    }

    /** Incidents and maintenance windows, as the status command changes them. */
    public Incidents incidents() {
        return StatusAdapters.incidents(c, board());
    }

    public StatusBoard board() {
        return StatusAdapters.board(c, ModelCatalog.defaults());
    }
}
