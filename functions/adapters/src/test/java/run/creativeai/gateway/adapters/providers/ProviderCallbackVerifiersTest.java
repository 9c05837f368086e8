package run.creativeai.gateway.adapters.providers;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.adapters.providers.fal.FalWebhookVerifier;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.webhook.SigningSecret;

/** A provider's callbacks are verified in the scheme of the protocol the catalogue says it speaks. */
class ProviderCallbackVerifiersTest {
    private static final String WHSEC = SigningSecret.generate(new SecureRandom()).reveal();

    private ProviderCallbackVerifiers verifiers(String secretsJson) {
        return new ProviderCallbackVerifiers(ModelCatalog.defaults(), () -> secretsJson, ProviderHttp.standard());
    }

    @Test
    void aReplicateProviderIsVerifiedWithItsSharedSecretAndAFalProviderWithItsPublishedKeys() {
        ProviderCallbackVerifiers verifiers = verifiers("{\"seedream\":\"" + WHSEC + "\","
                + "\"flux\":{\"jwks_url\":\"http://127.0.0.1:9/.well-known/jwks.json\"}}");
        assertThat(verifiers.forProvider("seedream")).isPresent().get().isNotInstanceOf(FalWebhookVerifier.class);
        assertThat(verifiers.forProvider("flux")).isPresent().get().isInstanceOf(FalWebhookVerifier.class);
    }

    @Test
    void materialOfTheWrongSchemeForAProvidersProtocolVerifiesNothing() {
        ProviderCallbackVerifiers verifiers = verifiers("{\"flux\":\"" + WHSEC + "\","
                + "\"seedream\":{\"jwks_url\":\"http://127.0.0.1:9/.well-known/jwks.json\"}}");
        assertThat(verifiers.forProvider("flux")).as("fal never signs with a shared secret").isEmpty();
        assertThat(verifiers.forProvider("seedream")).as("Replicate publishes no key set").isEmpty();
    }

    @Test
    void aProviderOutsideTheCatalogueOrWithoutAnEntryHasNoCallbacks() {
        ProviderCallbackVerifiers verifiers = verifiers("{\"elsewhere\":\"" + WHSEC + "\"}");
        assertThat(verifiers.forProvider("elsewhere")).isEmpty();
        assertThat(verifiers.forProvider("sdxl")).isEmpty();
    }
}
