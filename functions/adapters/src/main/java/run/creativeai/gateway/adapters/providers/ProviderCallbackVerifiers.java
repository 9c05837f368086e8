package run.creativeai.gateway.adapters.providers;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import run.creativeai.gateway.api.ProviderCallbacks;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.model.ProviderProtocol;

/**
 * The callback verifier of each provider of the model catalogue, in the scheme of the protocol the
 * catalogue says it speaks, with the material its entry in the provider webhook secrets holds (a JSON
 * object keyed by provider name). Built once per provider and container, when its first callback comes.
 */
public final class ProviderCallbackVerifiers implements ProviderCallbacks.Verifiers {
    private final Map<String, ProviderProtocol> protocols;
    private final Supplier<String> secrets;
    private final ProviderHttp http;
    private final Map<String, Optional<ProviderCallbacks.Verifier>> built = new ConcurrentHashMap<>();

    /** @param secrets reads the provider webhook secrets' JSON (cached by the caller) */
    public ProviderCallbackVerifiers(ModelCatalog models, Supplier<String> secrets, ProviderHttp http) {
        this.protocols = models.providers();
        this.secrets = secrets;
        this.http = http;
    }

    @Override
    public Optional<ProviderCallbacks.Verifier> forProvider(String provider) {
        ProviderProtocol protocol = protocols.get(provider);
        if (protocol == null) {
            return Optional.empty();
        }
        return built.computeIfAbsent(provider,
                name -> ProtocolAdapters.callbackVerifier(protocol, Json.read(secrets.get()).path(name), http));
    }
}
