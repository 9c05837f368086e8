package run.creativeai.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = RetryPolicy.DEFAULT;

    @Test
    void aRetryAfterIsWaitedInFullAndNeverLessWhateverTheJitter() {
        for (double random : new double[] {0, 0.5, 0.999999}) {
            Duration delay = policy.delayBefore(2, Optional.of(Duration.ofSeconds(30)), random).orElseThrow();
            assertThat(delay).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(33));
        }
    }

    @Test
    void clientsRefusedTogetherComeBackSpreadOverTheJitterRoomEvenForOneSecond() {
        Duration early = policy.delayBefore(2, Optional.of(Duration.ofSeconds(1)), 0).orElseThrow();
        Duration late = policy.delayBefore(2, Optional.of(Duration.ofSeconds(1)), 0.999).orElseThrow();
        assertThat(early).isEqualTo(Duration.ofSeconds(1));
        assertThat(late).isGreaterThan(Duration.ofMillis(1200)).isLessThanOrEqualTo(Duration.ofMillis(1250));
    }

    @Test
    void aRetryAfterBeyondTheCapIsNotWaitedFor() {
        assertThat(policy.delayBefore(2, Optional.of(Duration.ofSeconds(61)), 0.5)).isEmpty();
        assertThat(policy.delayBefore(2, Optional.of(Duration.ofSeconds(60)), 0.5)).isPresent();
    }

    @Test
    void withoutRetryAfterTheBackoffDoublesUpToItsCapAndIsNeverZero() {
        RetryPolicy many = policy.withMaxAttempts(10);
        assertThat(many.delayBefore(2, Optional.empty(), 1 - 1e-9).orElseThrow()).isBetween(Duration.ofMillis(499),
                Duration.ofMillis(500));
        assertThat(many.delayBefore(3, Optional.empty(), 1 - 1e-9).orElseThrow()).isBetween(Duration.ofMillis(999),
                Duration.ofSeconds(1));
        assertThat(many.delayBefore(4, Optional.empty(), 0).orElseThrow()).isEqualTo(Duration.ofMillis(1800));
        assertThat(many.delayBefore(9, Optional.empty(), 1 - 1e-9).orElseThrow()).isBetween(Duration.ofMillis(7999),
                Duration.ofSeconds(8));
        assertThat(many.delayBefore(9, Optional.empty(), 0).orElseThrow()).isEqualTo(Duration.ofMillis(7200));
    }

    @Test
    void noAttemptIsMadeBeyondTheMaximum() {
        assertThat(policy.delayBefore(4, Optional.empty(), 0.5)).isPresent();
        assertThat(policy.delayBefore(5, Optional.empty(), 0.5)).isEmpty();
        assertThat(RetryPolicy.NONE.delayBefore(2, Optional.of(Duration.ZERO), 0.5)).isEmpty();
    }

    @Test
    void aPolicyThatCannotWorkIsRefusedWhenBuilt() {
        assertThatThrownBy(() -> policy.withMaxAttempts(0)).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ZERO, 0.1))
                .hasMessageContaining("maxBackoff");
    }
}
