package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.template.SamFunction;
import run.creativeai.template.Template;

/**
 * A function's class-data archive, made and used as a deployed function makes and uses it, this JVM in
 * the runtime's place: the package's launch script trains it (the handler built from the function's
 * environment and primed against the local services), then a fresh JVM started through the script takes
 * the function's classes from it and handles a real event; an archive that another build of the jar
 * wrote is skipped with a warning, and the function starts as it would without one.
 */
@ExtendWith(LocalCloudExtension.class)
class ClassArchiveIT {
    private static final Duration LAUNCH = Duration.ofSeconds(120);
    private static LocalCloud cloud;
    private static SamFunction fn;

    @BeforeAll
    static void start(LocalCloud localCloud) {
        cloud = localCloud;
        Template template = Template.load(LocalCloudExtension.projectRoot().resolve("template.yaml"));
        fn = SamFunction.all(template).stream().filter(f -> f.logicalId().equals("ReconcilerFunction")).findFirst()
                .orElseThrow();
    }

    private static Map<String, String> environment() {
        return cloud.runtime().function(fn.logicalId()).environment();
    }

    /** The reconciler's schedule event, twice: a sweep as of a day before any job here, which changes nothing. */
    private static List<String> sweep(List<String> flags) throws Exception {
        Path event = LocalCloudExtension.projectRoot().resolve("events/schedule/reconciler-sweep.json");
        return FunctionLaunch.runtimeLine(fn, flags, "plain", event, event);
    }

    private static Path trained(Path jar) throws Exception {
        Path root = FunctionLaunch.packageRoot(jar, true);
        FunctionLaunch.Launched training = FunctionLaunch.train(fn, root, environment(), LAUNCH);
        assertThat(training.exit()).as(training.output()).isZero();
        assertThat(training.output()).as("the priming ran whole").doesNotContain("priming failed");
        assertThat(root.resolve(FunctionLaunch.ARCHIVE)).as(training.output()).isNotEmptyFile();
        return root;
    }

    @Test
    void theArchiveTheLaunchScriptTrainsHoldsTheFunctionsClassesAndAFreshJvmTakesThemFromIt() throws Exception {
        Path root = trained(LocalCloudExtension.projectRoot().resolve(fn.jar()));
        Path log = root.resolve("class-load.log");
        Files.deleteIfExists(log);

        FunctionLaunch.Launched run = FunctionLaunch.launch(root, sweep(List.of("-Xlog:class+load=info:file=" + log)),
                environment(), LAUNCH);

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).as("both events handled").contains("COLDSTART ").doesNotContain("[warning][cds");
        List<String> loaded = Files.readAllLines(log);
        String handler = fn.handler().split("::")[0];
        assertThat(loaded).as("the handler, from the function's archive")
                .anyMatch(l -> l.contains(" " + handler + " source: shared objects file (top)"));
        assertThat(loaded).as("the SDK's DynamoDB client, which the sweep uses")
                .anyMatch(l -> l.contains(" software.amazon.awssdk.services.dynamodb.DefaultDynamoDbClient source: shared"
                        + " objects file (top)"));
        long fromJar = loaded.stream().filter(l -> l.contains("source: file:")).count();
        long fromArchive = loaded.stream().filter(l -> l.contains("source: shared objects file (top)")).count();
        assertThat(fromArchive).as("classes of the function's archive against classes read from its jar")
                .isGreaterThan(10 * fromJar);
    }

    @Test
    void anArchiveAnotherBuildOfTheJarWroteIsSkippedAndTheFunctionStartsWithoutIt() throws Exception {
        Path trainedRoot = trained(LocalCloudExtension.projectRoot().resolve(fn.jar()));
        // Another build of the jar: the same bytes, written later, so the archive's record of it no longer holds.
        Path rebuilt = Files.createDirectories(trainedRoot.resolveSibling("rebuilt")).resolve(Path.of(fn.jar()).getFileName());
        Files.copy(LocalCloudExtension.projectRoot().resolve(fn.jar()), rebuilt, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(rebuilt, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        Path root = FunctionLaunch.packageRoot(rebuilt, true);
        Files.copy(trainedRoot.resolve(FunctionLaunch.ARCHIVE), root.resolve(FunctionLaunch.ARCHIVE),
                StandardCopyOption.REPLACE_EXISTING);

        FunctionLaunch.Launched run = FunctionLaunch.launch(root, sweep(List.of()), environment(), LAUNCH);

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("[warning][cds").contains("COLDSTART ");
    }
}
