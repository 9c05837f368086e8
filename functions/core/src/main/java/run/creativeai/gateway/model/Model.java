package run.creativeai.gateway.model;

import java.util.List;

/**
 * A model customers can ask for, and the provider that serves it.
 *
 * @param id            the public id, the seed's name in lower case ({@code seedream}, {@code kling})
 * @param aliases       other ids accepted for it, e.g. versioned names ({@code seedream-v1.5})
 * @param provider      the provider endpoint that runs it
 * @param providerModel the provider's own id for it (a fal application path, a Replicate model)
 * @param failover      models to try next, in order, when this one's provider cannot serve
 */
public record Model(
        String id, JobKind kind, List<String> aliases, String provider, String providerModel, List<String> failover) {

    public Model {
        aliases = List.copyOf(aliases);
        failover = List.copyOf(failover);
    }
}
