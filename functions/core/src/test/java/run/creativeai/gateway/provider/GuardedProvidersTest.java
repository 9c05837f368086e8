package run.creativeai.gateway.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.job.Output;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.testing.MutableClock;

class GuardedProvidersTest {
    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final Breaker breaker = new Breaker();
    private final Upstream upstream = new Upstream();
    private final ProviderClient guarded = new GuardedProviders(name -> upstream, breaker, clock).clientFor("kling");
    private final ProviderRequest request = new ProviderRequest("m", JobKind.VIDEO, "x", 1, Optional.empty(),
            Optional.of(5), Optional.empty(), Optional.empty());

    @Test
    void anOpenCircuitSkipsTheProviderWithoutCallingIt() {
        breaker.permission = CircuitBreaker.Permission.DENIED;
        assertThat(guarded.submit(request)).isInstanceOfSatisfying(SubmitOutcome.Unavailable.class,
                u -> assertThat(u.reason()).isEqualTo(Unavailability.CIRCUIT_OPEN));
        assertThat(upstream.calls).isZero();
    }

    @Test
    void outagesCountAsFailuresAndTheCustomersBadInputDoesNot() {
        upstream.submit = new SubmitOutcome.Unavailable(Unavailability.SERVER_ERROR, "502");
        guarded.submit(request);
        upstream.submit = new SubmitOutcome.InputRejected("nsfw");
        guarded.submit(request);
        assertThat(breaker.events).containsExactly("failed server_error", "succeeded");
    }

    @Test
    void aProviderFailingOrUnreachableMidJobCountsAndAResultHeals() {
        ProviderJobRef ref = new ProviderJobRef("m", "r");
        upstream.progress = new ProgressOutcome.Unknown("503");
        guarded.progress(ref);
        upstream.progress = new ProgressOutcome.InProgress();
        guarded.progress(ref);
        upstream.progress = new ProgressOutcome.Completed(List.of(Output.of("u", "video/mp4")));
        guarded.progress(ref);
        assertThat(breaker.events).as("a provider that cannot be asked counts as unreachable")
                .containsExactly("failed unreachable", "succeeded");
    }

    @Test
    void aJobWhoseProviderGoesDownMidJobFailsOverOnceTheSharedCircuitOpensNotAtTheFirstBlip() {
        ProviderJobRef ref = new ProviderJobRef("m", "r");
        upstream.progress = new ProgressOutcome.Unknown("status check answered HTTP 503");
        assertThat(guarded.progress(ref)).as("one unanswered look, circuit closed").isInstanceOf(ProgressOutcome.Unknown.class);
        breaker.status = CircuitBreaker.CircuitStatus.OPEN;
        assertThat(guarded.progress(ref)).isInstanceOfSatisfying(ProgressOutcome.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo(Unavailability.CIRCUIT_OPEN);
            assertThat(f.detail()).contains("HTTP 503").contains("circuit of kling");
        });
        upstream.progress = new ProgressOutcome.Completed(List.of(Output.of("u", "video/mp4")));
        assertThat(guarded.progress(ref)).as("a provider that still answers is heard, circuit or not")
                .isInstanceOf(ProgressOutcome.Completed.class);
    }

    @Test
    void onlyTheCallWhoseOutcomeOpenedOrClosedTheCircuitTellsTheWatchOnce() {
        List<String> told = new ArrayList<>();
        ProviderClient watched = new GuardedProviders(name -> upstream, breaker,
                (provider, transition, at) -> told.add(provider + " " + transition.getClass().getSimpleName() + " " + at),
                clock).clientFor("kling");
        upstream.submit = new SubmitOutcome.Unavailable(Unavailability.TIMEOUT, "silent");
        watched.submit(request);
        breaker.onFailure = new CircuitTransition.Opened(clock.instant(), java.util.Set.of(Unavailability.TIMEOUT));
        watched.submit(request);
        breaker.onFailure = CircuitTransition.UNCHANGED;
        watched.submit(request);
        upstream.submit = new SubmitOutcome.Submitted("r");
        breaker.onSuccess = new CircuitTransition.Closed(clock.instant());
        watched.submit(request);
        assertThat(told).containsExactly("kling Opened " + clock.instant(), "kling Closed " + clock.instant());
    }

    private static final class Breaker implements CircuitBreaker {
        Permission permission = Permission.ALLOWED;
        CircuitStatus status = CircuitStatus.CLOSED;
        final List<String> events = new ArrayList<>();

        @Override
        public Permission acquire(String provider, Instant now) {
            return permission;
        }

        CircuitTransition onSuccess = CircuitTransition.UNCHANGED;
        CircuitTransition onFailure = CircuitTransition.UNCHANGED;

        @Override
        public CircuitTransition succeeded(String provider, Instant now) {
            events.add("succeeded");
            return onSuccess;
        }

        @Override
        public CircuitTransition failed(String provider, Unavailability kind, Instant now) {
            events.add("failed " + kind.wireName());
            return onFailure;
        }

        @Override
        public CircuitStatus status(String provider, Instant now) {
            return status;
        }

        @Override
        public CircuitState describe(String provider, Instant now) {
            return CircuitState.closed();
        }
    }

    private static final class Upstream implements ProviderClient {
        SubmitOutcome submit = new SubmitOutcome.Submitted("r");
        ProgressOutcome progress = new ProgressOutcome.InProgress();
        int calls;

        @Override
        public SubmitOutcome submit(ProviderRequest request) {
            calls++;
            return submit;
        }

        @Override
        public ProgressOutcome progress(ProviderJobRef ref) {
            return progress;
        }

        @Override
        public CancelOutcome cancel(ProviderJobRef ref) {
            return new CancelOutcome.Canceled();
        }
    }
}
