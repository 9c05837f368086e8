package run.creativeai.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import run.creativeai.gateway.plan.Limit;

class CancelAfterTest {
    private static final Limit A_DAY = Limit.of(86_400);

    private static Optional<Duration> valid(String header) {
        Parsed<Optional<Duration>> parsed = CancelAfter.parse(Optional.of(header), A_DAY);
        assertThat(parsed).as(header).isInstanceOf(Parsed.Valid.class);
        return ((Parsed.Valid<Optional<Duration>>) parsed).value();
    }

    private static ApiError refused(String header, Limit max) {
        Parsed<Optional<Duration>> parsed = CancelAfter.parse(Optional.of(header), max);
        assertThat(parsed).as(header).isInstanceOf(Parsed.Invalid.class);
        return ((Parsed.Invalid<Optional<Duration>>) parsed).error();
    }

    @Test
    void readsReplicatesDurationsWithABareNumberInSeconds() {
        assertThat(valid("30s")).contains(Duration.ofSeconds(30));
        assertThat(valid("90s")).contains(Duration.ofSeconds(90));
        assertThat(valid("5m")).contains(Duration.ofMinutes(5));
        assertThat(valid("1h")).contains(Duration.ofHours(1));
        assertThat(valid("2h30m")).contains(Duration.ofMinutes(150));
        assertThat(valid("1h30m45s")).contains(Duration.ofSeconds(5445));
        assertThat(valid("30")).as("a bare number is seconds").contains(Duration.ofSeconds(30));
        assertThat(valid(" 5m ")).contains(Duration.ofMinutes(5));
        assertThat(CancelAfter.parse(Optional.empty(), A_DAY)).as("no header, no deadline")
                .isEqualTo(new Parsed.Valid<>(Optional.empty()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "soon", "1.5h", "-5s", "5 m", "5m1h", "1d", "5M", "PT5M", "1h1h", "0", "0s", "4s", "4",
            "99999999999999999999"})
    void anythingElseIsA400NamingTheHeader(String header) {
        ApiError error = refused(header, A_DAY);
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.code()).isEqualTo("invalid_header");
        assertThat(error.param()).contains("Cancel-After");
        assertThat(error.message()).startsWith("Cancel-After must");
    }

    @Test
    void aDeadlineBeyondThePlansLongestIsA400SayingTheMaximum() {
        assertThat(refused("11m", Limit.of(600)).message()).isEqualTo("Cancel-After may be at most 600s on this plan, not 11m");
        assertThat(CancelAfter.parse(Optional.of("10m"), Limit.of(600))).isInstanceOf(Parsed.Valid.class);
        assertThat(CancelAfter.parse(Optional.of("1000h"), Limit.unlimited())).isInstanceOf(Parsed.Valid.class);
    }
}
