package run.creativeai.gateway.adapters.secrets;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Secret values from Secrets Manager, cached per container for a while so a request does not pay a
 * Secrets Manager call, and a rotated secret is picked up within the cache period. Values are read
 * by staging label; a label no version carries is cached as absent for the same period.
 */
public final class SecretsManagerSecrets {
    public static final String CURRENT = "AWSCURRENT";
    public static final String PENDING = "AWSPENDING";

    private final SecretsManagerClient client;
    private final Clock clock;
    private final Duration ttl;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    public SecretsManagerSecrets(SecretsManagerClient client, Clock clock, Duration ttl) {
        this.client = client;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** The current value of {@code secretId}. */
    public String value(String secretId) {
        return valueAtStage(secretId, CURRENT).orElseThrow(
                () -> ResourceNotFoundException.builder().message("secret " + secretId + " has no current value").build());
    }

    /** The value of the version of {@code secretId} that carries {@code stage}, if one does. */
    public Optional<String> valueAtStage(String secretId, String stage) {
        Instant now = clock.instant();
        String key = secretId + "\n" + stage;
        Cached cached = cache.get(key);
        if (cached != null && cached.expires.isAfter(now)) {
            return cached.value;
        }
        Optional<String> value;
        try {
            value = Optional.of(client.getSecretValue(b -> b.secretId(secretId).versionStage(stage)).secretString());
        } catch (ResourceNotFoundException e) {
            if (stage.equals(CURRENT)) {
                throw e;
            }
            value = Optional.empty();
        }
        cache.put(key, new Cached(value, now.plus(ttl)));
        return value;
    }

    /** How long a value read here may be served after it changed in Secrets Manager. */
    public Duration cachePeriod() {
        return ttl;
    }

    private record Cached(Optional<String> value, Instant expires) {
        @Override
        public String toString() {
            return "Cached[redacted]";
        }
    }
}
