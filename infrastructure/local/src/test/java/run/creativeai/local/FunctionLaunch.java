package run.creativeai.local;

import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import run.creativeai.template.SamFunction;

/**
 * A function started in a fresh JVM as Lambda's Java runtime starts it: its package as Lambda unpacks it
 * into the task root, the runtime's java command line ({@link #runtimeLine}, the {@link ColdStartProbe} in
 * the runtime's place) run through the package's launch script ({@code functions/package/launch}, the
 * template's {@code AWS_LAMBDA_EXEC_WRAPPER}), with the class-data archive the script's training mode
 * writes, or without. This JVM stands in for the runtime's.
 */
final class FunctionLaunch {
    /** What Lambda's java21 runtime starts the JVM with (JAVA_TOOL_OPTIONS aside). */
    static final List<String> LAMBDA_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-Xshare:auto", "-XX:+UseSerialGC");
    /** The probe's jar, written once per JVM of the tests, so it is never a stale build's probe. */
    private static Path probeJar;
    /** The archive's name in the package, as the launch script looks for it. */
    static final String ARCHIVE = "class-archive.jsa";

    /** A finished launch: its process id, exit code and output (standard error merged in). */
    record Launched(long pid, int exit, String output) {
    }

    private FunctionLaunch() {
    }

    /**
     * The task root of a package holding {@code jar}: {@code lib/<jar>} and this tree's
     * {@code bin/launch}, made once per build of the jar; the archived one is a copy of its own, so the
     * runs without an archive never map it.
     */
    static synchronized Path packageRoot(Path jar, boolean archived) throws Exception {
        String name = "package-" + Integer.toHexString(jar.toAbsolutePath().toString().hashCode()) + "-"
                + Files.getLastModifiedTime(jar).toMillis() + (archived ? "-archived" : "");
        Path root = Path.of("target", "cold-start", name).toAbsolutePath();
        Path lib = Files.createDirectories(root.resolve("lib"));
        Path copy = lib.resolve(jar.getFileName());
        if (!Files.exists(copy)) {
            Path partial = lib.resolve(jar.getFileName() + ".partial");
            Files.copy(jar, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE);
        }
        Path launch = Files.createDirectories(root.resolve("bin")).resolve("launch");
        Files.copy(LocalCloudExtension.projectRoot().resolve("functions/package/launch"), launch,
                StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(launch, PosixFilePermissions.fromString("rwxr-xr-x"));
        return root;
    }

    /**
     * Writes the class-data archive of the package at {@code root} afresh, as
     * {@code infrastructure/admin/class-archives} writes it with the runtime's JVM (this JVM standing in):
     * the runtime's line through the launch script in its training mode ({@code CLASS_ARCHIVE_TRAIN=1},
     * {@code _HANDLER}), which builds and primes the handler in place of the runtime's main class.
     */
    static Launched train(SamFunction fn, Path root, Map<String, String> environment, Duration timeout)
            throws Exception {
        Files.deleteIfExists(root.resolve(ARCHIVE));
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("CLASS_ARCHIVE_TRAIN", "1");
        env.put("_HANDLER", fn.handler());
        return launch(root, runtimeLine(fn, List.of(), "plain", null, null), env, timeout);
    }

    /** Runs {@code runtimeLine} (the runtime's java command) through the package's launch script, as Lambda does. */
    static Launched launch(Path root, List<String> runtimeLine, Map<String, String> environment, Duration timeout)
            throws Exception {
        return launch(root.resolve("bin/launch"), root, runtimeLine, environment, timeout);
    }

    /** Runs {@code runtimeLine} through the launch script {@code script}, over the task root {@code root}. */
    static Launched launch(Path script, Path root, List<String> runtimeLine, Map<String, String> environment,
            Duration timeout) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(script.toString());
        command.addAll(runtimeLine);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        builder.environment().put("LAMBDA_TASK_ROOT", root.toString());
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the launch did not end within " + timeout + ":\n" + output);
        }
        return new Launched(process.pid(), process.exitValue(), output);
    }

    /**
     * The java command line the runtime would run, with the probe for its main class: Lambda's flags, the
     * function's heap, the runtime's side of the class path (aws-lambda-java-core, the event serialization
     * library and the Joda-Time it loads, the probe), which the launch script extends with the function's jar.
     */
    static List<String> runtimeLine(SamFunction fn, List<String> flags, String priming, Path first, Path second)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LAMBDA_FLAGS);
        command.add("-Xmx" + (fn.memoryMb() * 3 / 4) + "m");
        command.addAll(flags);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, jarOf(com.amazonaws.services.lambda.runtime.Context.class).toString(),
                jarOf(LambdaEventSerializers.class).toString(), jarOf(Class.forName("org.joda.time.DateTime")).toString(),
                probeJar().toString()));
        command.add(ColdStartProbe.class.getName());
        command.add(fn.handler().split("::")[0]);
        command.add(String.valueOf(first));
        command.add(String.valueOf(second));
        command.add(priming);
        return command;
    }

    /**
     * The probe as a jar of its own: a class-data archive refuses a classpath with a non-empty
     * directory on it, and the probe's class would otherwise come from the test classes' directory.
     */
    private static synchronized Path probeJar() throws Exception {
        if (probeJar == null) {
            Path jar = Files.createDirectories(Path.of("target", "cold-start")).resolve("probe.jar").toAbsolutePath();
            Path classes = jarOf(ColdStartProbe.class);
            String prefix = ColdStartProbe.class.getName().replace('.', '/');
            try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
                    var files = Files.walk(classes.resolve(prefix).getParent())) {
                for (Path file : files.filter(f -> classes.relativize(f).toString().startsWith(prefix)).toList()) {
                    out.putNextEntry(new java.util.jar.JarEntry(classes.relativize(file).toString()));
                    out.write(Files.readAllBytes(file));
                    out.closeEntry();
                }
            }
            probeJar = jar;
        }
        return probeJar;
    }

    private static Path jarOf(Class<?> type) throws java.net.URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
