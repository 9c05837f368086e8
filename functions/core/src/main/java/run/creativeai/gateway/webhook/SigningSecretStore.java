package run.creativeai.gateway.webhook;

import java.util.Optional;
import run.creativeai.gateway.tenant.TenantId;

/**
 * Creates, reads and rotates tenants' signing secrets; used by tenant administration, never on the
 * request path. A rotation has a beginning (the next secret signs beside the current one) and an
 * end (the next secret becomes the current one and signs alone), so receivers can switch secrets in
 * between without ever failing a valid event.
 */
public interface SigningSecretStore {
    Optional<ActiveSigningSecrets> find(TenantId tenant);

    /** Makes {@code secret} the tenant's current secret. */
    void store(TenantId tenant, SigningSecret secret);

    /** Starts signing with {@code next} as well; the tenant must have a secret and no rotation in progress. */
    void beginRotation(TenantId tenant, SigningSecret next);

    /** The next secret becomes the current one; false when no rotation was in progress. */
    boolean finishRotation(TenantId tenant);

    /** Drops the next secret and keeps the current one; false when no rotation was in progress. */
    boolean cancelRotation(TenantId tenant);
}
