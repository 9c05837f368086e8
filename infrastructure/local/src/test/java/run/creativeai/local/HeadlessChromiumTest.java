package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where the browser tests cannot run, they say exactly what is missing and how to install it. */
class HeadlessChromiumTest {
    private static final Optional<Path> BROWSER = Optional.of(Path.of("/usr/bin/chromium"));
    private static final Optional<Path> DRIVER = Optional.of(Path.of("/usr/bin/chromedriver"));

    @Test
    void aMissingBrowserOrDriverIsNamedWithItsPackageAndTheInstallCommand() {
        assertThat(HeadlessChromium.whatIsMissing(BROWSER, DRIVER)).isEmpty();
        assertThat(HeadlessChromium.whatIsMissing(Optional.empty(), DRIVER)).hasValueSatisfying(message -> assertThat(message)
                .contains("missing: chromium (Debian package chromium; no executable chromium on PATH)")
                .doesNotContain("chromedriver").endsWith("Install them with: apt-get install chromium chromium-driver"));
        assertThat(HeadlessChromium.whatIsMissing(BROWSER, Optional.empty())).hasValueSatisfying(message -> assertThat(message)
                .contains("missing: chromedriver (Debian package chromium-driver; no executable chromedriver on PATH)"));
        assertThat(HeadlessChromium.whatIsMissing(Optional.empty(), Optional.empty())).hasValueSatisfying(message ->
                assertThat(message).contains("chromium (Debian", "chromedriver (Debian"));
    }
}
