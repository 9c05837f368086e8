package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Verifying webhooks" commands, run as they are written (the port, path and file
 * names moved to this test's) on a delivery the walkthrough's way: the openssl lines reproduce both
 * signatures, and the Java helper, run with the JDK's source launcher, says both are valid.
 */
@ExtendWith(LocalCloudExtension.class)
class ReadmeWebhookVerificationTest {
    private static LocalCloud cloud;
    private static String readme;
    private static String section;

    @BeforeAll
    static void start(LocalCloud localCloud) throws IOException {
        cloud = localCloud;
        readme = Files.readString(LocalCloudExtension.projectRoot().resolve("README.md"));
        int from = readme.indexOf("### Verifying webhooks");
        section = readme.substring(from, readme.indexOf("\n### ", from + 10));
    }

    private static List<String> blocks(String language) {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("```" + language + "\n(.*?)```", Pattern.DOTALL).matcher(section);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    private static String delivered(Path dir) {
        String path = "/readme-" + System.nanoTime();
        Api.Response created = new Api(cloud).post("/v1/images/generations", "sk-local-pro",
                "{\"model\":\"sdxl\",\"prompt\":\"a lighthouse\",\"webhook_url\":\"" + cloud.apiUrl() + "/_local/webhooks"
                        + path + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        assertThat(cloud.services().webhooks().await(d -> d.path().equals(path), 1, Duration.ofSeconds(30))).hasSize(1);
        return path;
    }

    private static String localised(String commands, String path, Path dir) {
        return commands.replace("http://127.0.0.1:3000", cloud.apiUrl().toString())
                .replace("/_local/webhooks/demo", "/_local/webhooks" + path)
                .replace("/tmp/hook.", dir + "/hook.");
    }

    private static Result run(Path dir, List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private record Result(int status, String output) {
    }

    @Test
    void theOpensslLinesReproduceBothSignaturesOfADelivery(@TempDir Path dir) throws Exception {
        assumeTrue(run(dir, List.of("bash", "-c", "command -v openssl")).status() == 0, "openssl is not installed");
        String path = delivered(dir);
        List<String> sh = blocks("sh");
        Result result = run(dir, List.of("bash", "-c", "set -e\n" + localised(sh.get(0) + sh.get(1), path, dir)));
        assertThat(result.status()).as(result.output()).isZero();
        String[] lines = result.output().replace("\r", "").split("\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[0]).matches("sha256=[0-9a-f]{64}");
        assertThat(lines[1]).as("the header the receiver got").isEqualToIgnoringCase("x-creativeai-signature: " + lines[0]);
        assertThat(lines[2]).startsWith("v1,");
        assertThat(lines[3]).isEqualToIgnoringCase("webhook-signature: " + lines[2]);
    }

    @Test
    void theJavaHelperVerifiesADelivery(@TempDir Path dir) throws Exception {
        String path = delivered(dir);
        run(dir, List.of("bash", "-c", localised(blocks("sh").get(0).lines().findFirst().orElseThrow(), path, dir)));
        Files.writeString(dir.resolve("WebhookVerifier.java"), blocks("java").get(0));
        Matcher command = Pattern.compile("`java WebhookVerifier\\.java (whsec_\\S+) /tmp/hook\\.headers /tmp/hook\\.body`")
                .matcher(section);
        assertThat(command.find()).as("the README's command line").isTrue();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Result result = run(dir, List.of(java, "WebhookVerifier.java", command.group(1),
                dir.resolve("hook.headers").toString(), dir.resolve("hook.body").toString()));
        assertThat(result.output()).contains("webhook-signature       valid").contains("x-creativeai-signature  valid")
                .contains("webhook-timestamp       recent");
        assertThat(result.status()).isZero();

        Result forged = run(dir, List.of(java, "WebhookVerifier.java", "whsec_" + "QUFB".repeat(8),
                dir.resolve("hook.headers").toString(), dir.resolve("hook.body").toString()));
        assertThat(forged.output()).contains("webhook-signature       INVALID");
        assertThat(forged.status()).isEqualTo(1);
    }
}
