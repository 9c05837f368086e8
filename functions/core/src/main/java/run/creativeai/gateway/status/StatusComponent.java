package run.creativeai.gateway.status;

import java.util.Optional;

/**
 * One component of the status page.
 *
 * @param kind     {@code service} for the API, webhook delivery and the job queues; {@code image} or
 *                 {@code video} for a model
 * @param provider the provider that serves a model
 */
public record StatusComponent(ComponentId id, String name, String kind, Optional<String> provider) {
    public boolean isModel() {
        return provider.isPresent();
    }
}
