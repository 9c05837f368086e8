package run.creativeai.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import run.creativeai.gateway.adapters.lambda.ClassArchiveTraining;
import run.creativeai.template.SamFunction;
import run.creativeai.template.Template;

/**
 * {@code infrastructure/admin/class-archives}: builds each function's class-data archive with the JVM of
 * Lambda's own java21 runtime and adds it to the function's package, where the package's launch script
 * maps it at every start ({@code functions/package/launch}). An archive maps only into the JVM build that
 * wrote it: it is written in a container of the runtime's image (its tag, or better its digest, matching
 * the runtime version the stack pins with {@code JavaRuntimeVersionArn}), by the image's own bootstrap
 * running the package's launch script in its training mode, so the archive is made on the very command
 * line the runtime starts the function with. The training builds the handler and runs its priming,
 * which changes nothing, against the services of the environment (a local cloud's, or a deployed
 * stack's with the AWS credentials of the environment).
 */
public final class ClassArchiveCommand {
    static final String USAGE = """
            usage: infrastructure/admin/class-archives [--local URL | --stack NAME [--region REGION]]
                                                       [--image REF] [--engine PATH] [FUNCTION...]

              FUNCTION...   logical ids of template.yaml (default: every function); each one's package,
                            functions/*/target/<name>.zip (mvn package), gains class-archive.jsa
              --image REF   the runtime's image (default public.ecr.aws/lambda/java:21); name it by the
                            digest of the runtime version JavaRuntimeVersionArn pins
              --engine PATH the container engine (default: docker, else podman, on the PATH)

            --local URL (default http://127.0.0.1:3000): train against a local cloud started by infrastructure/local/run.
            --stack NAME: against a stack deployed by sam deploy, with the AWS credentials of the environment.
            """;
    static final String DEFAULT_IMAGE = "public.ecr.aws/lambda/java:21";
    static final String ARCHIVE = "class-archive.jsa";
    /** Where Lambda unpacks a package and where its java runtime's bootstrap lies, in the image as on Lambda. */
    static final String TASK_ROOT = "/var/task";
    static final String BOOTSTRAP = "/var/runtime/bootstrap";
    /** What the AWS SDK reads from the environment, passed on to a training against a deployed stack. */
    private static final List<String> CREDENTIALS = List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN");

    private ClassArchiveCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> ourEnvironment, PrintStream out, PrintStream err) {
        Path template = Path.of("template.yaml");
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--template")) {
                template = Path.of(args[i + 1]);
            }
        }
        Path templateFile = template;
        Path root = template.toAbsolutePath().getParent();
        Template loaded = Template.load(template);
        return AdminCommand.run(args, USAGE, out, err, (environment, rest) -> {
            String image = DEFAULT_IMAGE;
            Optional<String> engine = Optional.empty();
            List<String> only = new ArrayList<>();
            for (int i = 0; i < rest.size(); i++) {
                switch (rest.get(i)) {
                    case "--image" -> image = value(rest, ++i, "--image");
                    case "--engine" -> engine = Optional.of(value(rest, ++i, "--engine"));
                    default -> only.add(rest.get(i));
                }
            }
            List<SamFunction> functions = SamFunction.all(loaded).stream()
                    .filter(f -> only.isEmpty() || only.contains(f.logicalId())).toList();
            List<String> unknown = only.stream()
                    .filter(id -> functions.stream().noneMatch(f -> f.logicalId().equals(id))).toList();
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException("no function " + String.join(", ", unknown) + " in " + templateFile);
            }
            String containers = engine.orElseGet(() -> onPath(ourEnvironment, "docker").or(() -> onPath(ourEnvironment,
                    "podman")).orElseThrow(() -> new IllegalStateException(
                            "no container engine: install docker or podman, or name one with --engine")));
            for (SamFunction fn : functions) {
                try {
                    long bytes = build(fn, root, environment, ourEnvironment, containers, image, err);
                    out.printf("%-26s %s: %s, %.1f MB%n", fn.logicalId(), fn.codeUri(), ARCHIVE, bytes / 1e6);
                } catch (IOException e) {
                    throw new IllegalStateException(fn.logicalId() + ": " + e.getMessage(), e);
                }
            }
            return 0;
        });
    }

    private static String value(List<String> rest, int i, String option) {
        if (i >= rest.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return rest.get(i);
    }

    /** Trains the function's archive in the runtime's image and adds it to its package; answers its size. */
    static long build(SamFunction fn, Path root, Map<String, String> environment, Map<String, String> ourEnvironment,
            String engine, String image, PrintStream err) throws IOException, InterruptedException {
        Path pkg = root.resolve(fn.codeUri());
        if (!Files.isRegularFile(pkg)) {
            throw new IOException("no package " + pkg + ": run mvn package first");
        }
        Path task = Files.createTempDirectory("class-archive-" + fn.logicalId());
        try {
            unpack(pkg, task);
            List<String> command = new ArrayList<>(List.of(engine, "run", "--rm", "--network", "host",
                    "-v", task + ":" + TASK_ROOT, "--entrypoint", BOOTSTRAP));
            Map<String, String> env = new LinkedHashMap<>(environment);
            CREDENTIALS.forEach(name -> Optional.ofNullable(ourEnvironment.get(name)).ifPresent(v -> env.put(name, v)));
            env.put("_HANDLER", fn.handler());
            env.put("LAMBDA_TASK_ROOT", TASK_ROOT);
            env.put("AWS_LAMBDA_FUNCTION_NAME", fn.logicalId());
            env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(fn.memoryMb()));
            env.put("AWS_LAMBDA_EXEC_WRAPPER", TASK_ROOT + "/bin/launch");
            env.put("CLASS_ARCHIVE_TRAIN", "1");
            // Only names on the command line: the values (credentials among them) reach the engine through its environment.
            env.keySet().forEach(name -> command.addAll(List.of("-e", name)));
            command.add(image);
            command.add(fn.handler());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().putAll(ourEnvironment);
            builder.environment().putAll(env);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes());
            int exit = process.waitFor();
            Path archive = task.resolve(ARCHIVE);
            if (exit == ClassArchiveTraining.PRIMING_FAILED) {
                err.print(output);
                throw new IOException("the handler's priming failed in the training (its output is above), so the"
                        + " archive would hold only what its construction loaded; are the services it primes against"
                        + " reachable (a local cloud running, a stack's credentials in the environment)?");
            }
            if (exit != 0 || !Files.isRegularFile(archive)) {
                err.print(output);
                throw new IOException("the training in " + image + " wrote no archive (exit " + exit + ")");
            }
            try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + pkg.toUri()), Map.of())) {
                Files.copy(archive, zip.getPath("/" + ARCHIVE), StandardCopyOption.REPLACE_EXISTING);
            }
            return Files.size(archive);
        } finally {
            try (var files = Files.walk(task)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The package as Lambda unpacks it, its launch script executable, without an archive an earlier run added. */
    private static void unpack(Path pkg, Path task) throws IOException {
        try (InputStream in = Files.newInputStream(pkg); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                Path file = task.resolve(e.getName()).normalize();
                if (!file.startsWith(task)) {
                    throw new IOException("entry outside the package: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(file);
                } else if (!e.getName().equals(ARCHIVE)) {
                    Files.createDirectories(file.getParent());
                    Files.copy(zip, file, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Files.setPosixFilePermissions(task.resolve("bin/launch"), PosixFilePermissions.fromString("rwxr-xr-x"));
        // The container's user writes the archive here.
        Files.setPosixFilePermissions(task, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    private static Optional<String> onPath(Map<String, String> environment, String name) {
        for (String dir : environment.getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir).resolve(name);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }
}
