package run.creativeai.gateway.adapters.secrets;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Secret values from Secrets Manager, cached per container for a while so a request does not pay a
 * Secrets Manager call, and a rotated secret is picked up within the cache period.
 */
public final class SecretsManagerSecrets {
    private final SecretsManagerClient client;
    private final Clock clock;
    private final Duration ttl;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    public SecretsManagerSecrets(SecretsManagerClient client, Clock clock, Duration ttl) {
        this.client = client;
        this.clock = clock;
        this.ttl = ttl;
    }

    public String value(String secretId) {
        Instant now = clock.instant();
        Cached cached = cache.get(secretId);
        if (cached != null && cached.expires.isAfter(now)) {
            return cached.value;
        }
        String value = client.getSecretValue(b -> b.secretId(secretId)).secretString();
        cache.put(secretId, new Cached(value, now.plus(ttl)));
        return value;
    }

    private record Cached(String value, Instant expires) {
        @Override
        public String toString() {
            return "Cached[redacted]";
        }
    }
}
