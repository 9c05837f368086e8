package run.creativeai.template;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * cfn-lint, the CloudFormation linter (it runs the SAM translator first, then checks the result
 * against CloudFormation's resource schemas), run as a process from PATH. Where it is not installed
 * the build fails under {@code CI=true} and elsewhere warns and skips the lint.
 */
final class CfnLint {
    /** The version the build machines have (with aws-sam-translator 1.110.0). */
    static final String VERSION = "1.51.0";
    static final String INSTALL = "pip install cfn-lint==" + VERSION + " aws-sam-translator==1.110.0";
    private static final long TIME_LIMIT_MINUTES = 5;

    /** One finding, as cfn-lint reports it. */
    record Finding(Path file, int line, int column, String rule, String message) {
        @Override
        public String toString() {
            return file.getFileName() + ":" + line + ":" + column + " " + rule + " " + message;
        }
    }

    private CfnLint() {
    }

    /** The installed cfn-lint's version line; fails under CI=true, or skips with a warning, where there is none. */
    static String installedVersion() {
        String missing;
        try {
            Run run = run(List.of("cfn-lint", "--version"));
            if (run.exitCode() == 0) {
                return run.stdout().trim();
            }
            missing = "'cfn-lint --version' exited with " + run.exitCode() + ": " + run.stderr().trim();
        } catch (IOException e) {
            missing = "cfn-lint is not on PATH";
        }
        String message = missing + ", so template.yaml is not linted. Install it with: " + INSTALL;
        if ("true".equals(System.getenv("CI"))) {
            fail(message + " (CI=true: a CI build must lint the template)");
        }
        System.err.println("[WARNING] " + message);
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    /**
     * Lints every template in one run (cfn-lint's start-up is most of its time), informational checks
     * included; the findings of each template, keyed by its absolute path.
     */
    static Map<Path, List<Finding>> lint(List<Path> templates) throws IOException {
        List<String> command = new ArrayList<>(List.of("cfn-lint", "--format", "json", "--include-checks", "I", "--"));
        templates.forEach(t -> command.add(t.toAbsolutePath().toString()));
        Run run = run(command);
        Map<Path, List<Finding>> byFile = new LinkedHashMap<>();
        templates.forEach(t -> byFile.put(t.toAbsolutePath().normalize(), new ArrayList<>()));
        JsonNode report;
        try {
            report = new ObjectMapper().readTree(run.stdout());
        } catch (IOException e) {
            return fail("cfn-lint did not write a JSON report (exit " + run.exitCode() + "):\n" + run.stdout() + run.stderr());
        }
        for (JsonNode f : report) {
            Path file = Path.of(f.path("Filename").asText()).toAbsolutePath().normalize();
            JsonNode start = f.path("Location").path("Start");
            byFile.computeIfAbsent(file, k -> new ArrayList<>()).add(new Finding(file, start.path("LineNumber").asInt(),
                    start.path("ColumnNumber").asInt(), f.path("Rule").path("Id").asText(), f.path("Message").asText()));
        }
        if (run.exitCode() != 0 && report.isEmpty()) {
            fail("cfn-lint exited with " + run.exitCode() + " and reported nothing:\n" + run.stderr());
        }
        return byFile;
    }

    private record Run(int exitCode, String stdout, String stderr) {
    }

    private static Run run(List<String> command) throws IOException {
        Path out = Files.createTempFile("cfn-lint", ".out");
        Path err = Files.createTempFile("cfn-lint", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(TIME_LIMIT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within " + TIME_LIMIT_MINUTES + " minutes");
            }
            return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command, e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
