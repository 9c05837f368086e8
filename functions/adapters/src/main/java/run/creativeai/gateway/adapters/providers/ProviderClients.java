package run.creativeai.gateway.adapters.providers;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import run.creativeai.gateway.config.ConfigurationException;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.model.ProviderProtocol;
import run.creativeai.gateway.provider.ProviderClient;
import run.creativeai.gateway.provider.ProviderDirectory;

/**
 * A client for every provider of the model catalogue, built at init: the base URL from
 * {@code PROVIDER_ENDPOINTS} (a JSON object, provider name to URL) and the credential from the
 * provider credentials secret (a JSON object, provider name to key), read when a call needs it.
 */
public final class ProviderClients implements ProviderDirectory {
    private final Map<String, ProviderClient> clients;

    private ProviderClients(Map<String, ProviderClient> clients) {
        this.clients = Map.copyOf(clients);
    }

    /**
     * @param endpointsJson the {@code PROVIDER_ENDPOINTS} value
     * @param credentials   reads the credentials secret's JSON (cached by the caller)
     */
    public static ProviderClients build(ModelCatalog catalog, String endpointsJson, java.util.function.Supplier<String> credentials) {
        JsonNode endpoints;
        try {
            endpoints = Json.tree(endpointsJson);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigurationException("PROVIDER_ENDPOINTS is not valid JSON");
        }
        ProviderHttp http = ProviderHttp.standard();
        Function<String, String> keyOf = provider -> {
            JsonNode key = Json.read(credentials.get()).path(provider);
            if (!key.isTextual() || key.asText().isBlank()) {
                throw new ConfigurationException("the provider credentials secret has no key for " + provider);
            }
            return key.asText();
        };
        Map<String, ProviderClient> clients = new HashMap<>();
        for (Map.Entry<String, ProviderProtocol> provider : catalog.providers().entrySet()) {
            String name = provider.getKey();
            JsonNode url = endpoints.path(name);
            if (!url.isTextual()) {
                throw new ConfigurationException("PROVIDER_ENDPOINTS has no URL for provider " + name);
            }
            clients.put(name, ProtocolAdapters.client(provider.getValue(), http, URI.create(url.asText()),
                    () -> keyOf.apply(name)));
        }
        return new ProviderClients(clients);
    }

    @Override
    public ProviderClient clientFor(String provider) {
        ProviderClient client = clients.get(provider);
        if (client == null) {
            throw new IllegalArgumentException("no client for provider " + provider);
        }
        return client;
    }
}
