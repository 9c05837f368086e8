package run.creativeai.gateway.status;

import java.util.List;
import java.util.Optional;
import run.creativeai.gateway.job.WebhookAttempt;
import run.creativeai.gateway.tenant.TenantId;

/** The status subscriptions, per tenant, and the attempts made to deliver each notice to each. */
public interface SubscriptionStore {
    /** Stores a new subscription unless the tenant has it already or holds {@code limit} of them. */
    Created create(Subscription subscription, int limit);

    Optional<Subscription> find(TenantId tenant, String id);

    List<Subscription> of(TenantId tenant);

    List<Subscription> all();

    /** False when the tenant has no such subscription. */
    boolean delete(TenantId tenant, String id);

    /** The attempts made to deliver event {@code eventId} to the subscription. */
    List<WebhookAttempt> attempts(String subscriptionId, String eventId);

    /** Records an attempt beside the earlier ones of its event, and as the subscription's last delivery. */
    void record(Subscription subscription, String eventType, WebhookAttempt attempt);

    enum Created {
        CREATED,
        EXISTS,
        LIMIT_REACHED
    }
}
