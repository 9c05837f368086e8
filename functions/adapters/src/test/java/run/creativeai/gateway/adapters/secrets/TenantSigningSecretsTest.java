package run.creativeai.gateway.adapters.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.access.TenantAdministration;
import run.creativeai.gateway.adapters.AwsClients;
import run.creativeai.gateway.adapters.AwsServices;
import run.creativeai.gateway.config.IdSource;
import run.creativeai.gateway.plan.PlanCatalog;
import run.creativeai.gateway.tenant.ApiKeyHasher;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.testing.MutableClock;
import run.creativeai.gateway.webhook.ActiveSigningSecrets;
import run.creativeai.gateway.webhook.SigningSecret;
import run.creativeai.gateway.webhook.WebhookSigner;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Signing-secret rotation against the Secrets Manager endpoint, through the real SDK client. */
@ExtendWith(AwsServices.class)
class TenantSigningSecretsTest {
    private static final Duration CACHE = Duration.ofMinutes(5);
    private static AwsServices.Running aws;
    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

    @BeforeAll
    static void setUp(AwsServices.Running running) {
        aws = running;
    }

    private SecretsManagerClient client() {
        return AwsClients.secretsManager(aws.environment(Map.of()));
    }

    private TenantAdministration administration(TenantSigningSecrets store) {
        return new TenantAdministration(new ApiKeyHasher("pepper-pepper-pepper".getBytes(StandardCharsets.UTF_8)),
                new NoKeys(), store, PlanCatalog.defaults(), new run.creativeai.gateway.testing.InMemoryAccountStore(),
                IdSource.random(clock));
    }

    @Test
    void duringARotationBothSecretsSignAndAfterItOnlyTheNewOne() {
        try (SecretsManagerClient client = client()) {
            String prefix = "rotation-" + System.nanoTime() + "/";
            TenantSigningSecrets admin = new TenantSigningSecrets(new SecretsManagerSecrets(client, clock, CACHE), client,
                    prefix);
            TenantSigningSecrets signing = new TenantSigningSecrets(new SecretsManagerSecrets(client, clock, CACHE), client,
                    prefix);
            TenantAdministration administration = administration(admin);
            TenantId tenant = new TenantId("acme");
            SigningSecret old = administration.signingSecret(tenant);

            SigningSecret next = administration.rotateSigningSecret(tenant);
            ActiveSigningSecrets during = signing.forTenant(tenant);
            assertThat(during.all()).extracting(SigningSecret::reveal).containsExactly(old.reveal(), next.reveal());
            Map<String, String> headers = new WebhookSigner("X-CreativeAI-Signature")
                    .headers("evt_1", "{}".getBytes(StandardCharsets.UTF_8), during.all(), Instant.EPOCH);
            assertThat(headers.get("webhook-signature").split(" ")).as("one signature per secret").hasSize(2);
            assertThat(headers.get("X-CreativeAI-Signature").split(", ")).hasSize(2);
            assertThatThrownBy(() -> administration.rotateSigningSecret(tenant))
                    .as("a second rotation would replace a secret receivers may already hold")
                    .isInstanceOf(IllegalStateException.class);

            administration.finishSigningSecretRotation(tenant);
            assertThat(signing.forTenant(tenant).all()).as("within the cache period the function may still sign with both")
                    .hasSize(2);
            clock.advance(CACHE.plusSeconds(1));
            assertThat(signing.forTenant(tenant).all()).extracting(SigningSecret::reveal).containsExactly(next.reveal());
            assertThat(client.getSecretValue(b -> b.secretId(prefix + "acme").versionStage("AWSPREVIOUS")).secretString())
                    .as("the old secret is kept as AWSPREVIOUS").isEqualTo(old.reveal());
        }
    }

    @Test
    void aCancelledRotationKeepsTheCurrentSecretAlone() {
        try (SecretsManagerClient client = client()) {
            String prefix = "cancel-" + System.nanoTime() + "/";
            TenantSigningSecrets store = new TenantSigningSecrets(new SecretsManagerSecrets(client, clock, CACHE), client,
                    prefix);
            TenantAdministration administration = administration(store);
            TenantId tenant = new TenantId("acme");
            SigningSecret current = administration.signingSecret(tenant);
            administration.rotateSigningSecret(tenant);
            administration.cancelSigningSecretRotation(tenant);
            assertThat(store.find(tenant).orElseThrow().all()).extracting(SigningSecret::reveal)
                    .containsExactly(current.reveal());
            assertThatThrownBy(() -> administration.finishSigningSecretRotation(tenant))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(List.of(administration.rotateSigningSecret(tenant))).as("a new rotation can start").hasSize(1);
        }
    }

    private static final class NoKeys implements run.creativeai.gateway.tenant.KeyRegistry {
        @Override
        public void put(run.creativeai.gateway.tenant.ApiKeyRecord record) {
        }

        @Override
        public List<run.creativeai.gateway.tenant.ApiKeyRecord> keysOf(TenantId tenant) {
            return List.of();
        }

        @Override
        public boolean revoke(TenantId tenant, run.creativeai.gateway.tenant.KeyId key) {
            return false;
        }

        @Override
        public void copyTerms(TenantId tenant, run.creativeai.gateway.tenant.TenantTerms terms) {
        }

        @Override
        public boolean setBudget(TenantId tenant, run.creativeai.gateway.tenant.KeyId key, java.util.Optional<Long> max) {
            return false;
        }
    }
}
