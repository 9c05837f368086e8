package run.creativeai.gateway.adapters.secrets;

import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.webhook.SigningSecret;
import run.creativeai.gateway.webhook.SigningSecrets;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Each tenant's webhook signing secret is its own Secrets Manager secret, named
 * {@code <prefix><tenant id>}, so it can be rotated, audited and access-controlled per tenant.
 */
public final class TenantSigningSecrets implements SigningSecrets {
    private final SecretsManagerSecrets secrets;
    private final String prefix;

    public TenantSigningSecrets(SecretsManagerSecrets secrets, String prefix) {
        this.secrets = secrets;
        this.prefix = prefix;
    }

    @Override
    public SigningSecret forTenant(TenantId tenant) {
        return new SigningSecret(secrets.value(name(prefix, tenant)));
    }

    /** Creates or replaces a tenant's secret; used by tenant administration, never by the functions. */
    public static void store(SecretsManagerClient client, String prefix, TenantId tenant, SigningSecret secret) {
        String name = name(prefix, tenant);
        try {
            client.putSecretValue(b -> b.secretId(name).secretString(secret.reveal()));
        } catch (ResourceNotFoundException e) {
            client.createSecret(b -> b.name(name).secretString(secret.reveal())
                    .description("Webhook signing secret of tenant " + tenant.value()));
        }
    }

    static String name(String prefix, TenantId tenant) {
        return prefix + tenant.value();
    }
}
