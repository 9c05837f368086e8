package run.creativeai.gateway.adapters.wiring;

import run.creativeai.gateway.access.TenantAdministration;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.config.IdSource;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.status.Incidents;
import run.creativeai.gateway.status.StatusBoard;

/**
 * Administration for the tools that run beside the functions (the tenant and status commands, the
 * local cloud's demo tenants), with the same tables, secrets and plans the functions use.
 */
public final class AdministrationWiring {
    private final Components c;

    public AdministrationWiring(Components c) {
        this.c = c;
    }

    /** Keys and signing secrets; built on first use, so a command that never asks needs none of their environment. */
    public TenantAdministration tenants() {
        return new TenantAdministration(Adapters.apiKeyHasher(c), Adapters.apiKeys(c), Adapters.signingSecrets(c),
                Catalogues.configured(c.environment()).plans(), IdSource.random(c.clock()));
    }

    /** Incidents and maintenance windows, as the status command changes them. */
    public Incidents incidents() {
        return StatusAdapters.incidents(c, board());
    }

    public StatusBoard board() {
        return StatusAdapters.board(c, ModelCatalog.defaults());
    }
}
