package run.creativeai.gateway.adapters.wiring;

import java.net.URI;
import java.util.List;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.dynamodb.DynamoDbDeliveryLedger;
import run.creativeai.gateway.adapters.http.HttpWebhookTransport;
import run.creativeai.gateway.adapters.lambda.Rehearsals;
import run.creativeai.gateway.adapters.metrics.Metered;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.status.HealthSignal;
import run.creativeai.gateway.status.HealthTally;
import run.creativeai.gateway.status.Subscriptions;
import run.creativeai.gateway.webhook.JobDeliverables;
import run.creativeai.gateway.workflow.WorkflowDeliverables;
import run.creativeai.gateway.webhook.WebhookBroadcast;
import run.creativeai.gateway.webhook.WebhookDelivery;
import run.creativeai.gateway.webhook.WebhookSchedule;
import run.creativeai.gateway.webhook.WebhookSigner;
import run.creativeai.gateway.webhook.WebhookTask;

/** The webhook function's parts, built once per container. */
public final class WebhookWiring {
    /** The seed's signature header, unless {@code WEBHOOK_SIGNATURE_HEADER} names another. */
    public static final String DEFAULT_SIGNATURE_HEADER = "X-CreativeAI-Signature";

    private final WebhookDelivery delivery;
    private final WebhookBroadcast broadcast;
    private final Runnable rehearsal;

    public WebhookWiring(Components c) {
        Subscriptions subscriptions = StatusAdapters.subscriptions(c);
        HealthTally attempts = StatusAdapters.tally(c, HealthSignal.WEBHOOK_ATTEMPTS);
        WebhookSigner signer = new WebhookSigner(c.environment().optional(Components.WEBHOOK_SIGNATURE_HEADER)
                .orElse(DEFAULT_SIGNATURE_HEADER));
        HttpWebhookTransport transport = new HttpWebhookTransport(Adapters.webhookUrlPolicy(c), c.clock());
        // A job's event, a workflow's end or a status notice: the same claims, signatures, schedule and URL rules.
        this.delivery = new WebhookDelivery(new WorkflowDeliverables(Adapters.workflows(c), Adapters.jobs(c),
                Adapters.outputLinks(c), c.clock(), new JobDeliverables(Adapters.jobs(c), Adapters.outputLinks(c),
                        c.clock(), subscriptions)),
                new DynamoDbDeliveryLedger(c.dynamoDb(), c.environment().required(Components.WEBHOOK_DEDUP_TABLE)),
                Adapters.signingSecrets(c),
                signer,
                // Every attempt and its outcome is metered, and counted for the status page (no 2xx: failed).
                HealthTally.counted(Metered.webhookTransport(transport, c.metrics()), attempts),
                Adapters.webhookQueue(c), WebhookSchedule.standard(), c.clock());
        this.broadcast = new WebhookBroadcast(subscriptions, Adapters.webhookQueue(c));
        // A delivery past what a task for no job reaches: its ledger's conditional write, a tenant's secret
        // read, the signature and the HTTP client's whole request path (the bare transport: no attempt is
        // metered or counted for the status page), and a retry's message.
        this.rehearsal = () -> {
            Rehearsals.failedUpdate(c.dynamoDb(), c.environment().required(Components.JOBS_TABLE));
            Rehearsals.readAbsentSecret(c.secretsManager(), c.environment().required(Components.WEBHOOK_SECRET_PREFIX));
            Rehearsals.signedPostToNowhere(signer, transport, c.clock().instant());
            // A failed attempt's retry, queued with its delay: the queues' client is built at the first
            // send (a delivery answered 2xx sends nothing), and a snapshot holds it ready.
            Rehearsals.sendToAbsentQueue(c.sqs(), c.environment().required(Components.WEBHOOK_QUEUE_URL));
            // Built at the first link to an output it signs; a snapshot holds it ready.
            c.s3Presigner();
            // And a delivery of a job's end that is answered 2xx, walked whole where no tenant receives it.
            rehearsedDelivery(c);
        };
    }

    /**
     * A job's end delivered from end to end against a {@link Rehearsals#againstStandIn stand-in}: the
     * job read, the ledger's claim, the tenant's signing secret, the signed event with its output's
     * link, the POST (to the stand-in, answered 201: the rehearsal's URL policy admits loopback alone)
     * and the attempt recorded on the job, which no tenant ever receives.
     *
     * @return the calls the stand-in answered, in order
     */
    public static List<String> rehearsedDelivery(Components c) {
        return Rehearsals.againstStandIn(c, standIn -> {
            URI endpoint = URI.create(standIn.environment().required("AWS_ENDPOINT_URL") + "/webhook");
            Job job = RehearsalJobs.succeeded(Catalogues.configured(standIn.environment()), endpoint,
                    standIn.clock().instant());
            Adapters.jobs(standIn).create(job);
            new WebhookWiring(standIn).delivery().deliver(new WebhookTask(job.id(), 1));
        });
    }

    public WebhookDelivery delivery() {
        return delivery;
    }

    /** Status notices, fanned out to every subscription. */
    public WebhookBroadcast broadcast() {
        return broadcast;
    }

    /** What priming runs beside a task for no job ({@link Rehearsals}). */
    public Runnable rehearsal() {
        return rehearsal;
    }
}
