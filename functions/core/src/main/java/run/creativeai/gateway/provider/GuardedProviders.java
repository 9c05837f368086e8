package run.creativeai.gateway.provider;

import java.time.Clock;
import java.time.Instant;

/**
 * Puts a circuit in front of every provider client: a call to a provider whose circuit is open is
 * not made (it is answered as unavailable, so the job moves to the next link), and every answer
 * feeds the circuit, with the kind of each failure. The customer's invalid input is the provider
 * working, not failing. A running job whose provider cannot be asked while its circuit is open is
 * answered as failed, so it fails over instead of waiting for its attempt timeout. The one caller
 * whose outcome opened or closed a circuit tells the {@link CircuitWatch}.
 */
public final class GuardedProviders implements ProviderDirectory {
    private final ProviderDirectory providers;
    private final CircuitBreaker circuits;
    private final CircuitWatch watch;
    private final Clock clock;

    public GuardedProviders(ProviderDirectory providers, CircuitBreaker circuits, Clock clock) {
        this(providers, circuits, CircuitWatch.none(), clock);
    }

    public GuardedProviders(ProviderDirectory providers, CircuitBreaker circuits, CircuitWatch watch, Clock clock) {
        this.providers = providers;
        this.circuits = circuits;
        this.watch = watch;
        this.clock = clock;
    }

    @Override
    public ProviderClient clientFor(String provider) {
        ProviderClient client = providers.clientFor(provider);
        return new ProviderClient() {
            @Override
            public SubmitOutcome submit(ProviderRequest request) {
                if (circuits.acquire(provider, clock.instant()) == CircuitBreaker.Permission.DENIED) {
                    return new SubmitOutcome.Unavailable(Unavailability.CIRCUIT_OPEN,
                            "circuit open after repeated failures of " + provider);
                }
                SubmitOutcome outcome = client.submit(request);
                if (outcome instanceof SubmitOutcome.Unavailable unavailable) {
                    failed(unavailable.reason());
                } else {
                    succeeded();
                }
                return outcome;
            }

            @Override
            public ProgressOutcome progress(ProviderJobRef ref) {
                ProgressOutcome outcome = client.progress(ref);
                if (outcome instanceof ProgressOutcome.Failed failed) {
                    failed(failed.reason());
                } else if (outcome instanceof ProgressOutcome.Unknown) {
                    // The provider could not be asked: unreachable, as far as the circuit knows.
                    failed(Unavailability.UNREACHABLE);
                } else if (outcome instanceof ProgressOutcome.Completed) {
                    succeeded();
                }
                // One unanswered look is a blip; unanswered while the shared circuit is open, the provider is
                // down mid-job (its failures tripped the circuit): the job moves on instead of waiting out its timeout.
                if (outcome instanceof ProgressOutcome.Unknown unknown
                        && circuits.status(provider, clock.instant()) == CircuitBreaker.CircuitStatus.OPEN) {
                    return new ProgressOutcome.Failed(Unavailability.CIRCUIT_OPEN,
                            "status unknown (" + unknown.detail() + ") and the circuit of " + provider
                                    + " opened after repeated failures");
                }
                return outcome;
            }

            @Override
            public CancelOutcome cancel(ProviderJobRef ref) {
                return client.cancel(ref);
            }

            private void succeeded() {
                Instant now = clock.instant();
                tell(circuits.succeeded(provider, now), now);
            }

            private void failed(Unavailability kind) {
                Instant now = clock.instant();
                tell(circuits.failed(provider, kind, now), now);
            }

            private void tell(CircuitTransition transition, Instant at) {
                if (!(transition instanceof CircuitTransition.Unchanged)) {
                    watch.changed(provider, transition, at);
                }
            }
        };
    }
}
