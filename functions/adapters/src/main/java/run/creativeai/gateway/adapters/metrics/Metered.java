package run.creativeai.gateway.adapters.metrics;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobEndings;
import run.creativeai.gateway.job.JobStore;
import run.creativeai.gateway.limits.AdmissionDecision;
import run.creativeai.gateway.limits.Creation;
import run.creativeai.gateway.limits.CreditReservation;
import run.creativeai.gateway.limits.LimitCharge;
import run.creativeai.gateway.limits.LimitState;
import run.creativeai.gateway.limits.Limiter;
import run.creativeai.gateway.provider.CancelOutcome;
import run.creativeai.gateway.provider.CircuitBreaker;
import run.creativeai.gateway.provider.CircuitState;
import run.creativeai.gateway.provider.CircuitTransition;
import run.creativeai.gateway.provider.ProgressOutcome;
import run.creativeai.gateway.provider.ProviderClient;
import run.creativeai.gateway.provider.ProviderDirectory;
import run.creativeai.gateway.provider.ProviderJobRef;
import run.creativeai.gateway.provider.ProviderRequest;
import run.creativeai.gateway.provider.SubmitOutcome;
import run.creativeai.gateway.provider.Unavailability;
import run.creativeai.gateway.webhook.WebhookTransport;

/**
 * Decorators that meter the ports at the gateway's boundaries, so the domain stays free of metrics:
 * each passes every call through unchanged and reports what it saw to {@link GatewayMetrics}.
 * {@code Components} wires them.
 */
public final class Metered {
    private Metered() {
    }

    /** Every admission decision: admitted, refused by its rule, or refused for credits. */
    public static Limiter limiter(Limiter limiter, GatewayMetrics metrics) {
        return new Limiter() {
            @Override
            public AdmissionDecision admit(List<LimitCharge> charges, Optional<CreditReservation> credits, Instant now) {
                AdmissionDecision decision = limiter.admit(charges, credits, now);
                metrics.admission(charges, decision);
                return decision;
            }

            @Override
            public AdmissionDecision admitCreating(List<LimitCharge> charges, Optional<CreditReservation> credits,
                    Creation created, Instant now) {
                AdmissionDecision decision = limiter.admitCreating(charges, credits, created, now);
                metrics.admission(charges, decision);
                return decision;
            }

            @Override
            public List<LimitState> peek(List<LimitCharge> charges, Instant now) {
                return limiter.peek(charges, now);
            }
        };
    }

    /**
     * Each provider call's latency and whether the provider failed it. Wraps the raw clients, inside
     * the circuits, so a call the circuit refuses is not counted as a call.
     */
    public static ProviderDirectory providers(ProviderDirectory providers, GatewayMetrics metrics, Clock clock) {
        return name -> {
            ProviderClient client = providers.clientFor(name);
            return new ProviderClient() {
                @Override
                public SubmitOutcome submit(ProviderRequest request) {
                    return timed("submit", () -> client.submit(request), o -> o instanceof SubmitOutcome.Unavailable);
                }

                @Override
                public ProgressOutcome progress(ProviderJobRef ref) {
                    return timed("progress", () -> client.progress(ref),
                            o -> o instanceof ProgressOutcome.Failed || o instanceof ProgressOutcome.Unknown);
                }

                @Override
                public CancelOutcome cancel(ProviderJobRef ref) {
                    return timed("cancel", () -> client.cancel(ref), o -> o instanceof CancelOutcome.Unavailable);
                }

                private <T> T timed(String operation, Supplier<T> call, Predicate<T> failed) {
                    Instant start = clock.instant();
                    T outcome = call.get();
                    metrics.providerCall(name, operation, failed.test(outcome), Duration.between(start, clock.instant()));
                    return outcome;
                }
            };
        };
    }

    /** The circuit state each call finds: open when the call is refused. */
    public static CircuitBreaker circuits(CircuitBreaker circuits, GatewayMetrics metrics) {
        return new CircuitBreaker() {
            @Override
            public Permission acquire(String provider, Instant now) {
                Permission permission = circuits.acquire(provider, now);
                metrics.circuit(provider, permission == Permission.DENIED);
                return permission;
            }

            @Override
            public CircuitTransition succeeded(String provider, Instant now) {
                return circuits.succeeded(provider, now);
            }

            @Override
            public CircuitTransition failed(String provider, Unavailability kind, Instant now) {
                return circuits.failed(provider, kind, now);
            }

            @Override
            public CircuitStatus status(String provider, Instant now) {
                return circuits.status(provider, now);
            }

            @Override
            public CircuitState describe(String provider, Instant now) {
                return circuits.describe(provider, now);
            }

            @Override
            public Map<String, CircuitState> describeAll(java.util.Collection<String> providers, Instant now) {
                return circuits.describeAll(providers, now);
            }
        };
    }

    /** Every ended job: queue wait, failover, the model that ran it. Metered after the ending is handled. */
    public static JobEndings jobEndings(JobEndings endings, GatewayMetrics metrics) {
        return job -> {
            endings.ended(job);
            metrics.jobEnded(job);
        };
    }

    /** Every webhook attempt and its outcome. */
    public static WebhookTransport webhookTransport(WebhookTransport transport, GatewayMetrics metrics) {
        return (URI url, Map<String, String> headers, byte[] body, Duration timeout) -> {
            WebhookTransport.Response response = transport.post(url, headers, body, timeout);
            metrics.webhookAttempt(response);
            return response;
        };
    }
}
