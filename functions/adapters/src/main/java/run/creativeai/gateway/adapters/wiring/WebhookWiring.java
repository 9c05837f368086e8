package run.creativeai.gateway.adapters.wiring;

import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.dynamodb.DynamoDbDeliveryLedger;
import run.creativeai.gateway.adapters.http.HttpWebhookTransport;
import run.creativeai.gateway.adapters.metrics.Metered;
import run.creativeai.gateway.webhook.WebhookDelivery;
import run.creativeai.gateway.webhook.WebhookSchedule;
import run.creativeai.gateway.webhook.WebhookSigner;

/** The webhook function's parts, built once per container. */
public final class WebhookWiring {
    /** The seed's signature header, unless {@code WEBHOOK_SIGNATURE_HEADER} names another. */
    public static final String DEFAULT_SIGNATURE_HEADER = "X-CreativeAI-Signature";

    private final WebhookDelivery delivery;

    public WebhookWiring(Components c) {
        this.delivery = new WebhookDelivery(Adapters.jobs(c),
                new DynamoDbDeliveryLedger(c.dynamoDb(), c.environment().required(Components.WEBHOOK_DEDUP_TABLE)),
                Adapters.signingSecrets(c),
                new WebhookSigner(c.environment().optional(Components.WEBHOOK_SIGNATURE_HEADER)
                        .orElse(DEFAULT_SIGNATURE_HEADER)),
                // Every attempt and its outcome is metered.
                Metered.webhookTransport(new HttpWebhookTransport(Adapters.webhookUrlPolicy(c), c.clock()), c.metrics()),
                Adapters.webhookQueue(c), WebhookSchedule.standard(), Adapters.outputLinks(c), c.clock());
    }

    public WebhookDelivery delivery() {
        return delivery;
    }
}
