package run.creativeai.gateway.adapters.secrets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.webhook.ActiveSigningSecrets;
import run.creativeai.gateway.webhook.SigningSecret;
import run.creativeai.gateway.webhook.SigningSecretStore;
import run.creativeai.gateway.webhook.SigningSecrets;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.FilterNameStringType;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;

/**
 * Each tenant's webhook signing secret is its own Secrets Manager secret, named
 * {@code <prefix><tenant id>}, so it can be rotated, audited and access-controlled per tenant.
 * Rotation follows Secrets Manager's own staging labels: the next secret is a version labelled
 * {@code AWSPENDING} beside the {@code AWSCURRENT} one, and both sign while it exists; finishing
 * moves {@code AWSCURRENT} onto it (Secrets Manager labels the old one {@code AWSPREVIOUS}).
 * Reads for signing go through the per-container cache; the store side is for tenant administration.
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
    public ActiveSigningSecrets forTenant(TenantId tenant) {
        String name = name(tenant);
        return new ActiveSigningSecrets(new SigningSecret(cached.value(name)),
                cached.valueAtStage(name, SecretsManagerSecrets.PENDING).map(SigningSecret::new));
    }

    @Override
    public Optional<ActiveSigningSecrets> find(TenantId tenant) {
        Optional<String> current = read(tenant, SecretsManagerSecrets.CURRENT);
        if (current.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ActiveSigningSecrets(new SigningSecret(current.get()),
                read(tenant, SecretsManagerSecrets.PENDING).map(SigningSecret::new)));
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

    @Override
    public void beginRotation(TenantId tenant, SigningSecret next) {
        client.putSecretValue(b -> b.secretId(name(tenant)).secretString(next.reveal())
                .versionStages(SecretsManagerSecrets.PENDING));
    }

    @Override
    public boolean finishRotation(TenantId tenant) {
        String name = name(tenant);
        Map<String, List<String>> stages = client.describeSecret(b -> b.secretId(name)).versionIdsToStages();
        Optional<String> pending = versionWith(stages, SecretsManagerSecrets.PENDING);
        Optional<String> current = versionWith(stages, SecretsManagerSecrets.CURRENT);
        if (pending.isEmpty() || current.isEmpty()) {
            return false;
        }
        client.updateSecretVersionStage(b -> b.secretId(name).versionStage(SecretsManagerSecrets.CURRENT)
                .moveToVersionId(pending.get()).removeFromVersionId(current.get()));
        client.updateSecretVersionStage(b -> b.secretId(name).versionStage(SecretsManagerSecrets.PENDING)
                .removeFromVersionId(pending.get()));
        return true;
    }

    @Override
    public boolean cancelRotation(TenantId tenant) {
        String name = name(tenant);
        Optional<String> pending = versionWith(client.describeSecret(b -> b.secretId(name)).versionIdsToStages(),
                SecretsManagerSecrets.PENDING);
        if (pending.isEmpty()) {
            return false;
        }
        client.updateSecretVersionStage(b -> b.secretId(name).versionStage(SecretsManagerSecrets.PENDING)
                .removeFromVersionId(pending.get()));
        return true;
    }

    /**
     * The current secret of every tenant that has one, found by the naming above: for a tool that
     * verifies deliveries of any tenant (the local cloud's webhook receiver), never for signing.
     */
    public Map<TenantId, SigningSecret> currentOfEveryTenant() {
        Map<TenantId, SigningSecret> all = new LinkedHashMap<>();
        client.listSecretsPaginator(b -> b.filters(f -> f.key(FilterNameStringType.NAME).values(prefix)))
                .stream().flatMap(page -> page.secretList().stream())
                .map(SecretListEntry::name)
                .filter(name -> name.startsWith(prefix))
                .forEach(name -> tenant(name.substring(prefix.length())).ifPresent(tenant ->
                        read(tenant, SecretsManagerSecrets.CURRENT).ifPresent(v -> all.put(tenant, new SigningSecret(v)))));
        return all;
    }

    private static Optional<TenantId> tenant(String name) {
        try {
            return Optional.of(new TenantId(name));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // another secret under the prefix, not one this class stored
        }
    }

    private Optional<String> read(TenantId tenant, String stage) {
        try {
            return Optional.of(client.getSecretValue(b -> b.secretId(name(tenant)).versionStage(stage)).secretString());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> versionWith(Map<String, List<String>> stages, String stage) {
        return stages.entrySet().stream().filter(e -> e.getValue().contains(stage)).map(Map.Entry::getKey).findFirst();
    }

    private String name(TenantId tenant) {
        return prefix + tenant.value();
    }
}
