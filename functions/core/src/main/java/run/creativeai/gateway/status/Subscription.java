package run.creativeai.gateway.status;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import run.creativeai.gateway.job.WebhookAttempt;
import run.creativeai.gateway.tenant.TenantId;

/**
 * A tenant's subscription to the status notices: every incident and maintenance change is POSTed
 * to {@code url}, signed with the tenant's webhook secret, as job events are.
 *
 * @param lastDelivery the latest attempt to deliver a notice to it, and that notice's event type
 */
public record Subscription(String id, TenantId tenant, URI url, Instant createdAt, Optional<Delivery> lastDelivery) {

    /** An attempt and the type of the event it carried. */
    public record Delivery(String eventType, WebhookAttempt attempt) {
    }
}
