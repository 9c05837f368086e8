package run.creativeai.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WaitPreferenceTest {

    private static Optional<Duration> valid(String header) {
        Parsed<Optional<Duration>> parsed = WaitPreference.parse(Optional.of(header));
        assertThat(parsed).as(header).isInstanceOf(Parsed.Valid.class);
        return ((Parsed.Valid<Optional<Duration>>) parsed).value();
    }

    @Test
    void readsTheWaitPreferenceAmongOthersAsRfc7240WritesIt() {
        assertThat(valid("wait=10")).contains(Duration.ofSeconds(10));
        assertThat(valid("respond-async, wait=25")).contains(Duration.ofSeconds(25));
        assertThat(valid("Wait=\"5\"; foo=bar")).contains(Duration.ofSeconds(5));
        assertThat(valid("return=minimal")).as("other preferences are ignored").isEmpty();
        assertThat(valid("wait=0")).as("no wait at all").isEmpty();
        assertThat(WaitPreference.parse(Optional.empty())).isEqualTo(new Parsed.Valid<>(Optional.empty()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"wait=26", "wait=-1", "wait=1.5", "wait=", "wait", "wait=ten", "wait=5, wait=6",
            "wait=99999999999999999999"})
    void anythingButAWholeNumberOfSecondsUpTo25IsA400NamingTheHeader(String header) {
        Parsed<Optional<Duration>> parsed = WaitPreference.parse(Optional.of(header));
        assertThat(parsed).as(header).isInstanceOfSatisfying(Parsed.Invalid.class, invalid -> {
            ApiError error = invalid.error();
            assertThat(error.status()).isEqualTo(400);
            assertThat(error.param()).contains("Prefer");
            assertThat(error.message()).startsWith("Prefer");
        });
    }
}
