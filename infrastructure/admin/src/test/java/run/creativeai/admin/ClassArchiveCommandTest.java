package run.creativeai.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.creativeai.gateway.adapters.lambda.ClassArchiveTraining;

/**
 * The class-archives command with a stand-in for the container engine (no engine runs here): what it asks
 * the engine to run (the runtime image's own bootstrap, through the package's launch script in training
 * mode, with the function's environment from the local cloud), and how it adds the archive the training
 * wrote to the function's package, which keeps its launch script executable.
 */
class ClassArchiveCommandTest {
    @TempDir
    Path root;
    private HttpServer localCloud;
    private Path engine;
    private Path pkg;

    @BeforeEach
    void stage() throws Exception {
        Files.copy(Path.of(System.getProperty("template.path")), root.resolve("template.yaml"));
        pkg = Files.createDirectories(root.resolve("functions/callbacks/target")).resolve("callbacks.zip");
        // A package as Maven writes it: the jar, and the launch script with its Unix mode.
        try (FileSystem zip = FileSystems.newFileSystem(pkg, Map.of("create", "true", "enablePosixFileAttributes", "true"))) {
            Files.createDirectories(zip.getPath("/lib"));
            Files.writeString(zip.getPath("/lib/callbacks.jar"), "the jar");
            Files.createDirectories(zip.getPath("/bin"));
            Files.writeString(zip.getPath("/bin/launch"), "#!/bin/bash\n");
            Files.setPosixFilePermissions(zip.getPath("/bin/launch"), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        localCloud = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        localCloud.createContext("/_local/admin/environment", exchange -> {
            byte[] body = "{\"AWS_REGION\":\"eu-west-1\",\"JOBS_TABLE\":\"local-jobs\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        localCloud.start();
        // The engine's stand-in: records its arguments and the environment the training needs, and writes
        // the archive where the package is mounted, as the training in the container would.
        engine = root.resolve("engine");
        Files.writeString(engine, """
                #!/bin/bash
                printf '%s\\n' "$@" > "$(dirname "$0")/engine.args"
                env | grep -E '^(_HANDLER|CLASS_ARCHIVE_TRAIN|AWS_LAMBDA_EXEC_WRAPPER|LAMBDA_TASK_ROOT|JOBS_TABLE|AWS_SECRET_ACCESS_KEY)=' \\
                  | sort > "$(dirname "$0")/engine.env"
                [ "$FAIL" = 1 ] && { echo "no such image"; exit 125; }
                while [ $# -gt 0 ]; do
                  if [ "$1" = -v ]; then mount="${2%%:/var/task}"; fi
                  shift
                done
                test -x "$mount/bin/launch" || { echo "launch not executable"; exit 1; }
                printf 'archive' > "$mount/class-archive.jsa"
                # A failed priming: the JVM still writes the archive at exit, of the construction alone.
                if [ "$UNPRIMED" = 1 ]; then
                  echo '{"level":"WARN","message":"priming failed; the first event will do its work: Unable to load credentials"}'
                  exit PRIMING_FAILED
                fi
                """.replace("PRIMING_FAILED", Integer.toString(ClassArchiveTraining.PRIMING_FAILED)));
        Files.setPosixFilePermissions(engine, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void stop() {
        localCloud.stop(0);
    }

    private record Outcome(int exit, String out, String err) {
    }

    private Outcome run(Map<String, String> ours, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new java.util.ArrayList<>(List.of("--template", root.resolve("template.yaml").toString(),
                "--local", "http://127.0.0.1:" + localCloud.getAddress().getPort(), "--engine", engine.toString()));
        all.addAll(List.of(args));
        int exit = ClassArchiveCommand.run(all.toArray(String[]::new), ours, new PrintStream(out), new PrintStream(err));
        return new Outcome(exit, out.toString(), err.toString());
    }

    @Test
    void theArchiveIsTrainedInTheRuntimesImageByItsBootstrapAndAddedToThePackageWhoseLaunchStaysExecutable()
            throws Exception {
        Map<String, String> ours = new HashMap<>(System.getenv());
        ours.put("AWS_SECRET_ACCESS_KEY", "not-on-the-command-line");

        Outcome done = run(ours, "--image", "public.ecr.aws/lambda/java@sha256:" + "0".repeat(64), "ProviderCallbackFunction");

        assertThat(done.exit()).as(done.err()).isZero();
        assertThat(done.out()).contains("ProviderCallbackFunction").contains("class-archive.jsa");
        List<String> args = Files.readAllLines(root.resolve("engine.args"));
        assertThat(args).containsSubsequence("run", "--rm", "--network", "host", "--entrypoint", "/var/runtime/bootstrap",
                "public.ecr.aws/lambda/java@sha256:" + "0".repeat(64),
                "run.creativeai.gateway.function.callbacks.ProviderCallbackHandler::handleRequest");
        assertThat(args).anyMatch(a -> a.endsWith(":/var/task")).contains("AWS_SECRET_ACCESS_KEY")
                .noneMatch(a -> a.contains("not-on-the-command-line"));
        assertThat(Files.readAllLines(root.resolve("engine.env"))).containsExactly(
                "AWS_LAMBDA_EXEC_WRAPPER=/var/task/bin/launch", "AWS_SECRET_ACCESS_KEY=not-on-the-command-line",
                "CLASS_ARCHIVE_TRAIN=1", "JOBS_TABLE=local-jobs", "LAMBDA_TASK_ROOT=/var/task",
                "_HANDLER=run.creativeai.gateway.function.callbacks.ProviderCallbackHandler::handleRequest");

        try (FileSystem zip = FileSystems.newFileSystem(pkg, Map.of("enablePosixFileAttributes", "true"))) {
            assertThat(Files.readString(zip.getPath("/class-archive.jsa"))).isEqualTo("archive");
            assertThat(Files.readString(zip.getPath("/lib/callbacks.jar"))).isEqualTo("the jar");
            Set<PosixFilePermission> launch = Files.getPosixFilePermissions(zip.getPath("/bin/launch"));
            assertThat(launch).as("Lambda unpacks the modes the zip records").contains(PosixFilePermission.OWNER_EXECUTE,
                    PosixFilePermission.OTHERS_EXECUTE);
        }
        // Built again (another runtime version): the new archive replaces the old.
        assertThat(run(ours, "ProviderCallbackFunction").exit()).isZero();
    }

    @Test
    void aTrainingThatWroteNoArchiveFailsAndLeavesThePackageAsItWas() throws Exception {
        byte[] before = Files.readAllBytes(pkg);
        Map<String, String> ours = new HashMap<>(System.getenv());
        ours.put("FAIL", "1");
        Outcome failed = run(ours, "ProviderCallbackFunction");
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.err()).contains("no such image").contains("wrote no archive");
        assertThat(Files.readAllBytes(pkg)).isEqualTo(before);
    }

    @Test
    void aTrainingWhosePrimingFailedIsRefusedSinceItsArchiveWouldHoldTheConstructionAlone() throws Exception {
        byte[] before = Files.readAllBytes(pkg);
        Map<String, String> ours = new HashMap<>(System.getenv());
        ours.put("UNPRIMED", "1");
        Outcome failed = run(ours, "ProviderCallbackFunction");
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.err()).contains("priming failed in the training").contains("Unable to load credentials");
        assertThat(Files.readAllBytes(pkg)).isEqualTo(before);
    }

    @Test
    void anUnknownFunctionOrNoPackageIsRefusedSayingWhich() throws Exception {
        Outcome unknown = run(System.getenv(), "NoSuchFunction");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("no function NoSuchFunction");
        Outcome unbuilt = run(System.getenv(), "IngressFunction");
        assertThat(unbuilt.exit()).isEqualTo(1);
        assertThat(unbuilt.err()).contains("IngressFunction").contains("run mvn package first");
    }
}
