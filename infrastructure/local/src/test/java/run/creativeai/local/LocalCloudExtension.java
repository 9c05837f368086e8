package run.creativeai.local;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;
import run.creativeai.local.services.DockerUnavailable;

/**
 * One local cloud for the whole test run (in memory, on a free port), started before the first test
 * class that uses it and stopped when the test JVM ends; test classes ask for it as a parameter, and
 * property tests (jqwik, which runs beside JUnit Jupiter and has no Jupiter extensions) through
 * {@link #shared()}. Under the localstack profile on a machine without Docker, the classes that use
 * it are skipped, saying why.
 */
public final class LocalCloudExtension implements BeforeAllCallback, ParameterResolver {
    @Override
    public void beforeAll(ExtensionContext context) {
        try {
            cloud(context);
        } catch (DockerUnavailable e) {
            throw new TestAbortedException(e.getMessage(), e);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalCloud.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return cloud(context);
    }

    private static LocalCloud cloud(ExtensionContext context) {
        return shared();
    }

    private static LocalCloud shared;

    /** The test run's local cloud, started on first use; a JVM shutdown hook stops it. */
    public static synchronized LocalCloud shared() {
        if (shared == null) {
            LocalCloud cloud = LocalCloud.start(new LocalCloud.Options(projectRoot().resolve("template.yaml"), 0,
                    Optional.empty()));
            Runtime.getRuntime().addShutdownHook(new Thread(cloud::close, "local-cloud-stop"));
            shared = cloud;
        }
        return shared;
    }

    public static Path projectRoot() {
        return Path.of(System.getProperty("project.root", "../..")).toAbsolutePath().normalize();
    }
}
