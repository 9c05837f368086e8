package run.creativeai.local;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.opentest4j.TestAbortedException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real browser for the page tests: Debian's {@code chromium}, driven headless by its
 * {@code chromedriver} (packages {@code chromium} and {@code chromium-driver}). Both are named by
 * path, so Selenium never looks for or downloads a browser or a driver. Where either is missing the
 * tests say exactly which and how to install it: under {@code CI=true} they fail, elsewhere they are
 * skipped with that message.
 */
final class HeadlessChromium {
    static final String INSTALL = "apt-get install chromium chromium-driver";

    private HeadlessChromium() {
    }

    /** A new headless browser whose window is {@code width} by {@code height} CSS pixels. */
    static ChromeDriver start(int width, int height) {
        Optional<Path> browser = onPath("chromium");
        Optional<Path> driver = onPath("chromedriver");
        Optional<String> missing = whatIsMissing(browser, driver);
        if (missing.isPresent()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(missing.get());
            }
            throw new TestAbortedException(missing.get());
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.get().toFile());
        // --no-sandbox: the build may run as root, where Chromium's sandbox refuses to start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.get().toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** What the browser tests say when the browser or its driver is not there; empty when both are. */
    static Optional<String> whatIsMissing(Optional<Path> browser, Optional<Path> driver) {
        List<String> missing = new ArrayList<>();
        if (browser.isEmpty()) {
            missing.add("chromium (Debian package chromium; no executable chromium on PATH)");
        }
        if (driver.isEmpty()) {
            missing.add("chromedriver (Debian package chromium-driver; no executable chromedriver on PATH)");
        }
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("the browser tests need a headless Chromium and its driver; missing: "
                + String.join(", ", missing) + ". Install them with: " + INSTALL);
    }

    private static Optional<Path> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
