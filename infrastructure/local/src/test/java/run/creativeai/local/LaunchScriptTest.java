package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package's launch script ({@code functions/package/launch}) on the java command line Lambda's java21
 * runtime passes its wrapper, handed to a stand-in for java that prints what it was given: the
 * function's jars join the class path, an archive in the package is mapped on top of the runtime's
 * own with sharing relaxed to auto, and the training mode writes the archive for the handler instead
 * of starting the runtime.
 */
class LaunchScriptTest {
    /** Lambda's java21 runtime line as its wrapper receives it (the runtime's own flags, class path and main class). */
    private static final List<String> RUNTIME_LINE = List.of("-XX:MaxHeapSize=445645k",
            "-javaagent:/var/runtime/lib/Log4jHotPatch.jar=log4jFixerVerbose=false", "-XX:+UseSerialGC", "-Xshare:on",
            "-XX:SharedArchiveFile=/var/lang/lib/server/runtime.jsa", "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac",
            "-classpath", "/var/runtime/lib/aws-lambda-java-core-1.2.3.jar:/var/runtime/lib/ric.jar",
            "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
            "run.creativeai.gateway.function.ingress.IngressHandler::handleRequest");

    @TempDir
    Path task;
    private Path java;

    @BeforeEach
    void stageThePackage() throws Exception {
        Files.createDirectories(task.resolve("lib"));
        Files.writeString(task.resolve("lib/ingress.jar"), "");
        Files.writeString(task.resolve("lib/a-first.jar"), "");
        Files.writeString(task.resolve("lib/notes.txt"), "");
        java = task.resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Run(int exit, List<String> args) {
    }

    /** The script from the source tree over the staged task root, the stand-in for java first on its line. */
    private Run launch(List<String> line, Map<String, String> env) throws Exception {
        List<String> runtimeLine = new ArrayList<>();
        runtimeLine.add(java.toString());
        runtimeLine.addAll(line);
        FunctionLaunch.Launched launched = FunctionLaunch.launch(
                LocalCloudExtension.projectRoot().resolve("functions/package/launch"), task, runtimeLine, env,
                Duration.ofSeconds(30));
        return new Run(launched.exit(), launched.output().lines().toList());
    }

    private String jars() {
        return task.resolve("lib/a-first.jar") + ":" + task.resolve("lib/ingress.jar");
    }

    @Test
    void withoutAnArchiveOnlyTheFunctionsJarsJoinTheClassPathAfterTheRuntimes() throws Exception {
        Run run = launch(RUNTIME_LINE, Map.of());
        assertThat(run.exit()).isZero();
        assertThat(run.args()).containsSubsequence("-Xshare:on", "-XX:SharedArchiveFile=/var/lang/lib/server/runtime.jsa")
                .containsSubsequence("-cp", "/var/runtime/lib/aws-lambda-java-core-1.2.3.jar:/var/runtime/lib/ric.jar:" + jars(),
                        "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
                        "run.creativeai.gateway.function.ingress.IngressHandler::handleRequest")
                .contains("-javaagent:/var/runtime/lib/Log4jHotPatch.jar=log4jFixerVerbose=false",
                        "--add-opens=java.base/java.io=ALL-UNNAMED")
                .doesNotContain("-Xshare:auto", "-classpath");
        assertThat(run.args()).last().isEqualTo("run.creativeai.gateway.function.ingress.IngressHandler::handleRequest");
    }

    @Test
    void anArchiveInThePackageIsMappedOnTopOfTheRuntimesAndAStaleOneCannotStopTheJvm() throws Exception {
        Files.writeString(task.resolve("class-archive.jsa"), "");
        Run run = launch(RUNTIME_LINE, Map.of());
        assertThat(run.exit()).isZero();
        assertThat(run.args()).contains("-Xshare:auto",
                "-XX:SharedArchiveFile=/var/lang/lib/server/runtime.jsa:" + task.resolve("class-archive.jsa"))
                .doesNotContain("-Xshare:on", "-XX:SharedArchiveFile=/var/lang/lib/server/runtime.jsa");
    }

    @Test
    void onALineWithoutAnArchiveOfItsOwnTheFunctionsIsMappedOnTheJdksDefault() throws Exception {
        Files.writeString(task.resolve("class-archive.jsa"), "");
        Run run = launch(List.of("-Xshare:auto", "-cp", "/rt.jar", "Main", "h::m"), Map.of());
        assertThat(run.args()).containsExactly("-Xshare:auto", "-XX:SharedArchiveFile=" + task.resolve("class-archive.jsa"),
                "-cp", "/rt.jar:" + jars(), "Main", "h::m");
    }

    @Test
    void trainingWritesTheArchiveForTheHandlerOnTheRuntimesOwnLineInsteadOfStartingIt() throws Exception {
        Files.writeString(task.resolve("class-archive.jsa"), "");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CLASS_ARCHIVE_TRAIN", "1");
        env.put("_HANDLER", "run.creativeai.gateway.function.ingress.IngressHandler::handleRequest");
        Run run = launch(RUNTIME_LINE, env);
        assertThat(run.exit()).isZero();
        assertThat(run.args()).as("on the runtime's base archive alone, sharing as the runtime has it")
                .contains("-Xshare:on", "-XX:SharedArchiveFile=/var/lang/lib/server/runtime.jsa",
                        "-XX:ArchiveClassesAtExit=" + task.resolve("class-archive.jsa"))
                .containsSubsequence("-cp", "/var/runtime/lib/aws-lambda-java-core-1.2.3.jar:/var/runtime/lib/ric.jar:" + jars(),
                        "run.creativeai.gateway.adapters.lambda.ClassArchiveTraining",
                        "run.creativeai.gateway.function.ingress.IngressHandler")
                .doesNotContain("com.amazonaws.services.lambda.runtime.api.client.AWSLambda");
        assertThat(run.args()).last().isEqualTo("run.creativeai.gateway.function.ingress.IngressHandler");
    }

    @Test
    void aLineWithoutAMainClassOrATrainingWithoutAHandlerIsRefusedSayingWhy() throws Exception {
        Run noMain = launch(List.of("-Xshare:auto", "-cp", "/rt.jar"), Map.of());
        assertThat(noMain.exit()).isEqualTo(64);
        assertThat(noMain.args()).anyMatch(l -> l.contains("no main class"));
        Run noHandler = launch(RUNTIME_LINE, Map.of("CLASS_ARCHIVE_TRAIN", "1"));
        assertThat(noHandler.exit()).isNotZero();
        assertThat(noHandler.args()).anyMatch(l -> l.contains("_HANDLER"));
    }
}
