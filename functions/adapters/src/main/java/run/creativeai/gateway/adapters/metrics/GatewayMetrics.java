package run.creativeai.gateway.adapters.metrics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.limits.AdmissionDecision;
import run.creativeai.gateway.limits.LimitCharge;
import run.creativeai.gateway.limits.RateLimitRule;
import run.creativeai.gateway.webhook.WebhookTransport;

/**
 * Every metric the gateway publishes, by name, with its dimensions: the one place the dashboard
 * and alarms of template.yaml and the local stats page agree with. The decorators of this package
 * observe the ports at their boundaries and report here.
 */
public final class GatewayMetrics {
    public static final String ADMITTED = "Admitted";
    public static final String REFUSED = "Refused";
    public static final String PROVIDER_CALLS = "ProviderCalls";
    public static final String PROVIDER_ERRORS = "ProviderErrors";
    public static final String PROVIDER_LATENCY = "ProviderLatency";
    public static final String CIRCUIT_OPEN = "CircuitOpen";
    public static final String JOBS_ENDED = "JobsEnded";
    public static final String FAILOVERS = "Failovers";
    public static final String QUEUE_WAIT = "QueueWait";
    public static final String WEBHOOK_ATTEMPTS = "WebhookAttempts";
    public static final String WEBHOOK_FAILURES = "WebhookFailures";
    public static final String WEBHOOK_LATENCY = "WebhookLatency";
    /** Every metric above: what the dashboard and alarms may name. */
    public static final java.util.Set<String> NAMES = java.util.Set.of(ADMITTED, REFUSED, PROVIDER_CALLS, PROVIDER_ERRORS,
            PROVIDER_LATENCY, CIRCUIT_OPEN, JOBS_ENDED, FAILOVERS, QUEUE_WAIT, WEBHOOK_ATTEMPTS, WEBHOOK_FAILURES,
            WEBHOOK_LATENCY);

    public static final String REQUEST = "Request";
    public static final String RULE = "Rule";
    public static final String PROVIDER = "Provider";
    public static final String OPERATION = "Operation";
    public static final String TIER = "Tier";
    public static final String STATUS = "Status";
    public static final String OUTCOME = "Outcome";
    /** The {@code Rule} of a refusal for credits, which no limit rule made. */
    public static final String INSUFFICIENT_CREDITS = "insufficient_credits";

    private final EmbeddedMetrics out;

    public GatewayMetrics(EmbeddedMetrics out) {
        this.out = out;
    }

    /** One admission decision: admitted per kind of request, refused per rule that refused it. */
    public void admission(List<LimitCharge> charges, AdmissionDecision decision) {
        boolean read = charges.stream().anyMatch(c -> c.rule().unit() == RateLimitRule.Unit.READS);
        String request = read ? "read" : "create";
        if (decision instanceof AdmissionDecision.Refused refused) {
            refused(request, refused.refusedBy().rule().id());
        } else if (decision instanceof AdmissionDecision.InsufficientCredits) {
            refused(request, INSUFFICIENT_CREDITS);
        } else {
            out.emit(new MetricDocument(List.of(List.of(), List.of(REQUEST)), Map.of(REQUEST, request),
                    List.of(MetricDocument.Value.count(ADMITTED, 1)), Map.of()));
        }
    }

    private void refused(String request, String rule) {
        out.emit(new MetricDocument(List.of(List.of(), List.of(RULE)), Map.of(REQUEST, request, RULE, rule),
                List.of(MetricDocument.Value.count(REFUSED, 1)), Map.of()));
    }

    /** One call to a provider's API: how long it took, and whether the provider failed to answer it. */
    public void providerCall(String provider, String operation, boolean failed, Duration took) {
        out.emit(new MetricDocument(List.of(List.of(PROVIDER), List.of(PROVIDER, OPERATION)),
                Map.of(PROVIDER, provider, OPERATION, operation),
                List.of(MetricDocument.Value.count(PROVIDER_CALLS, 1), MetricDocument.Value.count(PROVIDER_ERRORS, failed ? 1 : 0),
                        MetricDocument.Value.millis(PROVIDER_LATENCY, took.toMillis())),
                Map.of()));
    }

    /** The state a provider's circuit was found in when a call asked it: 1 open (call refused), 0 closed or probing. */
    public void circuit(String provider, boolean open) {
        out.emit(EmbeddedMetrics.document(Map.of(PROVIDER, provider),
                List.of(MetricDocument.Value.count(CIRCUIT_OPEN, open ? 1 : 0)), Map.of()));
    }

    /** A job that ended: its tier's queue wait, whether it failed over, and (as properties) which model ran it. */
    public void jobEnded(Job job) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("job_id", job.id().value());
        properties.put("tenant_id", job.tenantId().value());
        properties.put("model", job.model());
        properties.put("model_actual", job.modelActual().orElse(""));
        properties.put("failover_used", Boolean.toString(job.failoverUsed()));
        List<MetricDocument.Value> values = new java.util.ArrayList<>(List.of(MetricDocument.Value.count(JOBS_ENDED, 1),
                MetricDocument.Value.count(FAILOVERS, job.failoverUsed() ? 1 : 0)));
        job.timings().queueWait().ifPresent(wait -> values.add(MetricDocument.Value.millis(QUEUE_WAIT, wait.toMillis())));
        out.emit(new MetricDocument(List.of(List.of(TIER), List.of(TIER, STATUS)),
                Map.of(TIER, job.tier().name().toLowerCase(java.util.Locale.ROOT), STATUS, job.status().wireName()),
                values, properties));
    }

    /** One webhook attempt: delivered on a 2xx, otherwise failed (its outcome: the status class, or no response). */
    public void webhookAttempt(WebhookTransport.Response response) {
        String outcome = response.statusCode().map(s -> s >= 200 && s < 300 ? "delivered" : "http_" + s / 100 + "xx")
                .orElse("no_response");
        out.emit(new MetricDocument(List.of(List.of(), List.of(OUTCOME)), Map.of(OUTCOME, outcome),
                List.of(MetricDocument.Value.count(WEBHOOK_ATTEMPTS, 1),
                        MetricDocument.Value.count(WEBHOOK_FAILURES, outcome.equals("delivered") ? 0 : 1),
                        MetricDocument.Value.millis(WEBHOOK_LATENCY, response.took().toMillis())),
                Map.of()));
    }
}
