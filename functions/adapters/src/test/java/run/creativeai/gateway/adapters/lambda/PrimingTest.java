package run.creativeai.gateway.adapters.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.api.ApiRequest;

class PrimingTest {
    /** How often {@link Listed}'s initialiser ran (kept outside it: reading its own field would run it). */
    static final AtomicInteger LISTED_INITIALISED = new AtomicInteger();

    /** Named by priming-classes.txt beside this test: a priming loads it but must not run its initialiser. */
    static final class Listed {
        static {
            LISTED_INITIALISED.incrementAndGet();
        }
    }

    /** A handler of this package, whose priming reads the list beside it. */
    static final class ListingHandler {
    }

    @Test
    void theClassesListedBesideTheHandlerAreLoadedWithoutRunningAnyOfTheirCodeAndAMissingOneIsSkipped() {
        ListingHandler handler = new ListingHandler();
        Priming priming = Priming.register(handler, () -> { });

        assertThat(priming.prime()).as("a class the list names that the jar lacks does not fail the priming").isTrue();
        assertThat(LISTED_INITIALISED).as("the listed class was not initialised").hasValue(0);
    }

    @Test
    void theCheckpointHookRunsTheHandlersPrimerOnce() {
        AtomicInteger primed = new AtomicInteger();
        Object handler = new Object();
        Priming priming = Priming.register(handler, primed::incrementAndGet);

        priming.beforeCheckpoint(null);

        assertThat(primed).hasValue(1);
        assertThat(Priming.of(handler)).contains(priming);
    }

    @Test
    void aPrimingOfThreeRoundsRunsItsPrimerThreeTimesAtTheCheckpoint() {
        AtomicInteger primed = new AtomicInteger();
        Priming priming = Priming.register(new Object(), 3, primed::incrementAndGet);

        priming.beforeCheckpoint(null);

        assertThat(primed).hasValue(3);
    }

    @Test
    void everyLineLoggedWhilePrimingSaysSoInsideInvocationsAndOutAndNoLineAfterIt() {
        Logger log = LoggerFactory.getLogger(PrimingTest.class);
        LogContext context = new LogContext();
        Priming priming = Priming.register(new Object(), () -> {
            log.info("rehearsal: before an invocation");
            try (LogContext.Invocation invocation = context.begin(null)) {
                log.info("rehearsal: in an invocation");
            }
            log.info("rehearsal: after an invocation");
        });
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            assertThat(priming.prime()).isTrue();
            try (LogContext.Invocation invocation = context.begin(null)) {
                log.info("a real event");
            }
        } finally {
            System.setOut(out);
        }
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.stream().filter(line -> line.contains("rehearsal: "))).hasSize(3)
                .allSatisfy(line -> assertThat(line).contains("\"priming\":\"true\""));
        assertThat(lines.stream().filter(line -> line.contains("a real event"))).singleElement()
                .satisfies(line -> assertThat(line).doesNotContain("priming"));
    }

    @Test
    void aFailingPrimerIsReportedAndStopsNeitherTheCheckpointNorTheOtherHandlersPriming() {
        AtomicInteger primed = new AtomicInteger();
        Object failingHandler = new Object();
        Object workingHandler = new Object();
        Priming.register(failingHandler, () -> {
            throw new IllegalStateException("the table is not there");
        });
        Priming.register(workingHandler, primed::incrementAndGet);

        assertThatCode(Priming::primeAll).doesNotThrowAnyException();
        assertThat(primed).as("the working handler was primed despite the failing one").hasValue(1);
        assertThat(Priming.of(failingHandler).orElseThrow().prime()).isFalse();
        assertThat(Priming.of(workingHandler).orElseThrow().prime()).isTrue();
        assertThat(primed).hasValue(2);
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
