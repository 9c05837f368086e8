package run.creativeai.gateway.webhook;

import java.util.Optional;

/** Finds what a delivery attempt is about; empty when there is nothing to deliver (any more). */
@FunctionalInterface
public interface Deliverables {
    Optional<Deliverable> open(WebhookSubject subject);
}
