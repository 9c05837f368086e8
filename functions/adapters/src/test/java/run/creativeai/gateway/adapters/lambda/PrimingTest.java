package run.creativeai.gateway.adapters.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.api.ApiRequest;

class PrimingTest {
    @Test
    void theCheckpointHookRunsTheHandlersPrimer() {
        AtomicInteger primed = new AtomicInteger();
        Priming priming = Priming.register(primed::incrementAndGet);

        priming.beforeCheckpoint(null);

        assertThat(primed).hasValue(1);
    }

    @Test
    void primeAllRunsEveryLiveHandlersPrimerAndAFailingOneStopsNothing() {
        AtomicInteger primed = new AtomicInteger();
        Priming failing = Priming.register(() -> {
            throw new IllegalStateException("the table is not there");
        });
        Priming working = Priming.register(primed::incrementAndGet);

        assertThatCode(Priming::primeAll).doesNotThrowAnyException();
        assertThat(primed).hasValue(1);
        assertThat(failing).isNotNull();
        assertThat(working).isNotNull();
    }

    @Test
    void aPrimingHttpEventReachesTheApiAsItsRouteWithItsPathParameters() {
        ApiRequest request = HttpEvents.toRequest(Priming.http("POST /v1/things/{id}", Map.of("id", Priming.NO_JOB),
                Map.of("Authorization", "Bearer x"), "{}"), Clock.systemUTC());

        assertThat(request.routeKey()).isEqualTo("POST /v1/things/{id}");
        assertThat(request.pathParameters()).containsEntry("id", Priming.NO_JOB);
        assertThat(request.headers()).containsEntry("authorization", "Bearer x");
    }

    @Test
    void aPrimingSqsEventIsOneMessageWithTheBody() {
        var event = Priming.sqs("{\"job_id\":\"" + Priming.NO_JOB + "\"}");

        assertThat(event.getRecords()).singleElement().satisfies(m -> assertThat(m.getBody()).contains(Priming.NO_JOB));
    }
}
