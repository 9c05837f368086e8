package run.creativeai.gateway.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SideBySideTest {
    @Test
    void stepsRunAtOnceAndAllHaveEndedWhenItReturns() {
        // Each step waits for the other to have started: taken one after another, neither would end.
        CountDownLatch started = new CountDownLatch(2);
        AtomicBoolean besideEnded = new AtomicBoolean();
        SideBySide.run(() -> awaitBoth(started), () -> {
            awaitBoth(started);
            besideEnded.set(true);
        });
        assertThat(besideEnded).as("the step beside the caller's had ended when run returned").isTrue();
    }

    @Test
    void aFailedStepIsThrownOnlyOnceTheOthersHaveEnded() {
        CountDownLatch failing = new CountDownLatch(1);
        AtomicBoolean otherEnded = new AtomicBoolean();
        assertThatThrownBy(() -> SideBySide.run(() -> {
            failing.countDown();
            throw new IllegalStateException("the bucket refused");
        }, () -> {
            try {
                failing.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            otherEnded.set(true);
        })).isInstanceOf(IllegalStateException.class).hasMessage("the bucket refused");
        assertThat(otherEnded).as("the other step had ended before the failure was thrown").isTrue();
    }

    @Test
    void anErrorOnAStepBesideTheCallersIsThrownAsItWas() {
        class Crash extends Error {
            private static final long serialVersionUID = 1L;
        }
        assertThatThrownBy(() -> SideBySide.run(() -> { }, () -> {
            throw new Crash();
        })).isInstanceOf(Crash.class);
    }

    private static void awaitBoth(CountDownLatch started) {
        started.countDown();
        try {
            assertThat(started.await(10, TimeUnit.SECONDS)).as("the other step started meanwhile").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
