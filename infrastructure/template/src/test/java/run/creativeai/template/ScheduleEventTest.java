package run.creativeai.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Schedule events as EventBridge reads their rate expressions. */
class ScheduleEventTest {
    private static Optional<Duration> rate(String expression) {
        return new SamFunction.ScheduleEvent("E", expression, true, Optional.empty(), Map.of()).rate();
    }

    @Test
    void rateExpressionsTakeASingularUnitForOneAndAPluralOtherwise() {
        assertThat(rate("rate(1 minute)")).contains(Duration.ofMinutes(1));
        assertThat(rate("rate(5 minutes)")).contains(Duration.ofMinutes(5));
        assertThat(rate("rate(2 hours)")).contains(Duration.ofHours(2));
        assertThat(rate("rate(1 day)")).contains(Duration.ofDays(1));
        assertThat(rate("rate(1 minutes)")).as("EventBridge refuses it").isEmpty();
        assertThat(rate("rate(5 minute)")).isEmpty();
        assertThat(rate("rate(0 minutes)")).isEmpty();
        assertThat(rate("cron(0/5 * * * ? *)")).as("cron is not run by the local runtime").isEmpty();
    }
}
