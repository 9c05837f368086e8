package run.creativeai.gateway.adapters.secrets;

import java.util.Optional;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.webhook.SigningSecret;
import run.creativeai.gateway.webhook.SigningSecretStore;
import run.creativeai.gateway.webhook.SigningSecrets;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Each tenant's webhook signing secret is its own Secrets Manager secret, named
 * {@code <prefix><tenant id>}, so it can be rotated, audited and access-controlled per tenant.
 * Reads go through the per-container cache; the store side is for tenant administration.
 */
public final class TenantSigningSecrets implements SigningSecrets, SigningSecretStore {
    private final SecretsManagerSecrets cached;
    private final SecretsManagerClient client;
    private final String prefix;

    public TenantSigningSecrets(SecretsManagerSecrets cached, SecretsManagerClient client, String prefix) {
        this.cached = cached;
        this.client = client;
        this.prefix = prefix;
    }

    @Override
    public SigningSecret forTenant(TenantId tenant) {
        return new SigningSecret(cached.value(name(tenant)));
    }

    @Override
    public Optional<SigningSecret> find(TenantId tenant) {
        try {
            return Optional.of(new SigningSecret(client.getSecretValue(b -> b.secretId(name(tenant))).secretString()));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public void store(TenantId tenant, SigningSecret secret) {
        String name = name(tenant);
        try {
            client.putSecretValue(b -> b.secretId(name).secretString(secret.reveal()));
        } catch (ResourceNotFoundException e) {
            client.createSecret(b -> b.name(name).secretString(secret.reveal())
                    .description("Webhook signing secret of tenant " + tenant.value()));
        }
    }

    private String name(TenantId tenant) {
        return prefix + tenant.value();
    }
}
