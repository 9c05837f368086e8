package run.creativeai.gateway.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** Independent calls made at once: every answer in its call's order, every failure surfaced, nothing left running. */
class ConcurrentCallsTest {

    @Test
    void callsThatEachWaitForAllTheOthersEndTogetherAndAnswerInTheOrderOfTheCalls() {
        // Each call waits until all eleven have begun (a status run's widest round): only calls made at once can end.
        int lanes = ConcurrentCalls.LANES;
        CountDownLatch begun = new CountDownLatch(lanes);
        List<Supplier<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < lanes; i++) {
            int n = i;
            calls.add(() -> {
                begun.countDown();
                try {
                    assertThat(begun.await(30, TimeUnit.SECONDS)).as("every call began at once").isTrue();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return n;
            });
        }
        assertThat(lanes).isEqualTo(11);
        assertThat(ConcurrentCalls.AT_ONCE.all(calls)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    }

    @Test
    void aFailedCallFailsTheWholeWithItsOwnExceptionOnceEveryOtherCallHasEnded() {
        AtomicInteger ended = new AtomicInteger();
        List<Supplier<Integer>> calls = new ArrayList<>();
        IntStream.range(0, 12).forEach(i -> calls.add(() -> {
            ended.incrementAndGet();
            if (i == 7) {
                throw new IllegalArgumentException("call 7 failed");
            }
            return i;
        }));
        assertThatThrownBy(() -> ConcurrentCalls.AT_ONCE.all(calls)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("call 7 failed");
        assertThat(ended).as("calls ended before the failure reached the caller").hasValue(12);
    }

    @Test
    void callsMadeFromWithinACallAndTheirLogLinesStillNameTheInvocation() {
        MDC.put("request_id", "req-1");
        try {
            List<Supplier<List<String>>> outer = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                outer.add(() -> ConcurrentCalls.AT_ONCE.all(List.<Supplier<String>>of(() -> MDC.get("request_id"),
                        () -> MDC.get("request_id"))));
            }
            assertThat(ConcurrentCalls.AT_ONCE.all(outer)).hasSize(8)
                    .allSatisfy(ids -> assertThat(ids).containsExactly("req-1", "req-1"));
        } finally {
            MDC.clear();
        }
    }

    @Test
    void aWorkerNamesTheThreadItMakesACallForAndDropsItAfterwards() throws Exception {
        List<String> names = new ArrayList<>();
        Thread caller = new Thread(() -> names.addAll(ConcurrentCalls.AT_ONCE.all(List.<Supplier<String>>of(
                () -> Thread.currentThread().getName(), () -> Thread.currentThread().getName()))), "lambda-7");
        caller.start();
        caller.join(30_000);
        // A meter tells whose calls the workers made by this name (the dispatcher's, a sweep's).
        assertThat(names).containsExactly("lambda-7", "aws-calls for lambda-7");
        List<String> later = ConcurrentCalls.AT_ONCE.all(List.<Supplier<String>>of(() -> "caller's",
                () -> Thread.currentThread().getName()));
        assertThat(later.get(1)).isEqualTo("aws-calls for " + Thread.currentThread().getName());
    }

    @Test
    void stepsWithoutAnswersAllHaveEndedWhenRunReturns() {
        // Each step waits for the other to have begun: made one after another, neither would end.
        CountDownLatch begun = new CountDownLatch(2);
        AtomicInteger ended = new AtomicInteger();
        Runnable step = () -> {
            begun.countDown();
            try {
                assertThat(begun.await(30, TimeUnit.SECONDS)).as("both steps began at once").isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            ended.incrementAndGet();
        };
        ConcurrentCalls.AT_ONCE.run(step, step);
        assertThat(ended).as("steps ended when run returned").hasValue(2);
    }
}
