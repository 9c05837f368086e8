package run.creativeai.gateway.model;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A model customers can ask for, and the provider that serves it.
 *
 * @param id         the public id, the seed's name in lower case ({@code seedream}, {@code kling})
 * @param aliases    other ids accepted for it, e.g. versioned names ({@code seedream-v1.5})
 * @param provider   the provider endpoint that runs it
 * @param operations what it can do, each with the provider's own id of the model that does it (a fal
 *                   application path, a Replicate model): providers serve each operation at its own
 *                   endpoint
 * @param failover   models to try next, in order, when this one's provider cannot serve
 */
public record Model(
        String id, JobKind kind, List<String> aliases, String provider, Map<Operation, String> operations,
        List<String> failover) {

    public Model {
        Objects.requireNonNull(operations, "operations");
        aliases = List.copyOf(aliases);
        failover = List.copyOf(failover);
        if (operations.isEmpty()) {
            throw new IllegalArgumentException("model " + id + " can do nothing");
        }
        for (Operation operation : operations.keySet()) {
            if (operation.kind() != kind) {
                throw new IllegalArgumentException("model " + id + " is a " + kind.wireName() + " model and cannot do "
                        + operation.wireName());
            }
        }
        operations = Collections.unmodifiableMap(new EnumMap<>(operations));
    }

    /** A model that does only its kind's operation from text, at {@code providerModel}. */
    public Model(String id, JobKind kind, List<String> aliases, String provider, String providerModel,
            List<String> failover) {
        this(id, kind, aliases, provider, Map.of(Operation.defaultFor(kind, false), providerModel), failover);
    }

    public boolean supports(Operation operation) {
        return operations.containsKey(operation);
    }

    public Set<Operation> supportedOperations() {
        return operations.keySet();
    }

    /** The provider's id of the model that does {@code operation}; only for an operation it {@link #supports}. */
    public String providerModel(Operation operation) {
        String providerModel = operations.get(operation);
        if (providerModel == null) {
            throw new IllegalArgumentException("model " + id + " cannot do " + operation.wireName());
        }
        return providerModel;
    }
}
