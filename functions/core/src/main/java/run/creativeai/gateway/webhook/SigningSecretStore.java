package run.creativeai.gateway.webhook;

import java.util.Optional;
import run.creativeai.gateway.tenant.TenantId;

/** Creates and reads tenants' signing secrets; used by tenant administration, never on the request path. */
public interface SigningSecretStore {
    Optional<SigningSecret> find(TenantId tenant);

    void store(TenantId tenant, SigningSecret secret);
}
