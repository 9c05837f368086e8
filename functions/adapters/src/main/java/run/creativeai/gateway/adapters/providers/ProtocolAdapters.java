package run.creativeai.gateway.adapters.providers;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.Optional;
import java.util.function.Supplier;
import run.creativeai.gateway.adapters.providers.fal.FalQueueClient;
import run.creativeai.gateway.adapters.providers.fal.FalWebhookVerifier;
import run.creativeai.gateway.adapters.providers.replicate.ReplicateClient;
import run.creativeai.gateway.api.ProviderCallbacks;
import run.creativeai.gateway.model.ProviderProtocol;
import run.creativeai.gateway.webhook.SigningSecret;

/**
 * What each protocol a provider may speak needs from the gateway, in one place: the client that
 * calls it, and how its callbacks are verified. A new protocol is a new constant of
 * {@link ProviderProtocol} and a case in each switch here (the compiler points at both).
 */
public final class ProtocolAdapters {
    private ProtocolAdapters() {
    }

    /** The client of a provider speaking {@code protocol} at {@code base}, with the key {@code key} reads. */
    public static run.creativeai.gateway.provider.ProviderClient client(ProviderProtocol protocol, ProviderHttp http,
            URI base, Supplier<String> key) {
        return switch (protocol) {
            case FAL_QUEUE -> new FalQueueClient(http, base, key);
            case REPLICATE_PREDICTIONS -> new ReplicateClient(http, base, key);
        };
    }

    /**
     * How a provider speaking {@code protocol} signs its callbacks, from its entry in the provider
     * webhook secrets: Replicate signs with a shared Standard Webhooks secret ({@code "whsec_..."}), fal
     * with Ed25519 keys it publishes at a JWKS URL ({@code {"jwks_url": "..."}}). Empty when the
     * entry is missing: that provider's callbacks are refused.
     */
    public static Optional<ProviderCallbacks.Verifier> callbackVerifier(ProviderProtocol protocol, JsonNode entry,
            ProviderHttp http) {
        return switch (protocol) {
            case REPLICATE_PREDICTIONS -> entry.isTextual()
                    ? Optional.of(ProviderCallbacks.standardWebhooks(new SigningSecret(entry.asText())))
                    : Optional.empty();
            case FAL_QUEUE -> entry.path("jwks_url").isTextual()
                    ? Optional.of(new FalWebhookVerifier(http, URI.create(entry.path("jwks_url").asText())))
                    : Optional.empty();
        };
    }
}
