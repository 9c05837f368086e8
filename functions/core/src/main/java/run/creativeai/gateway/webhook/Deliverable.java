package run.creativeai.gateway.webhook;

import java.net.URI;
import java.util.List;
import run.creativeai.gateway.job.WebhookAttempt;
import run.creativeai.gateway.tenant.TenantId;

/**
 * One event to deliver to one endpoint, with the attempts made so far and where the next is
 * recorded: what {@link WebhookDelivery} needs of a job's event or of a notice to a subscription,
 * so that both get the same claims, signatures, schedule and records.
 */
public interface Deliverable {
    WebhookEvent event();

    URI url();

    /** Whose signing secrets sign it. */
    TenantId tenant();

    List<WebhookAttempt> attempts();

    /**
     * Records an attempt where the customer reads it and where {@link #attempts} finds it again; a record
     * that cannot be written is logged, not thrown.
     *
     * @return whether the attempt is on record now
     */
    boolean record(WebhookAttempt attempt);

    /** For logs: {@code job gen_...} or {@code subscription sub_...}. */
    String describe();
}
