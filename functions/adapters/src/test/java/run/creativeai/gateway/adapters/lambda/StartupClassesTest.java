package run.creativeai.gateway.adapters.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StartupClassesTest {
    /** How often {@link LoadedAhead}'s initialiser ran (kept outside it: reading its own field would run it). */
    static final AtomicInteger AHEAD_INITIALISED = new AtomicInteger();

    /** Named by startup-classes.txt beside this test, after a class the jar lacks. */
    static final class LoadedAhead {
        static {
            AHEAD_INITIALISED.incrementAndGet();
        }
    }

    /** A handler of this package, whose list is the one beside it. */
    static final class Handler {
    }

    /** Defines {@link Handler} itself, so the handler's class loader is this one, and notes which thread asked it for which class. */
    static final class Recording extends ClassLoader {
        final Map<String, String> askedBy = new ConcurrentHashMap<>();

        Recording() {
            super(StartupClassesTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            askedBy.putIfAbsent(name, Thread.currentThread().getName());
            return super.loadClass(name, resolve);
        }

        Class<?> handler() {
            String resource = Handler.class.getName().replace('.', '/') + ".class";
            try (InputStream in = getParent().getResourceAsStream(resource)) {
                byte[] bytes = in.readAllBytes();
                return defineClass(Handler.class.getName(), bytes, 0, bytes.length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void lambdasEntryPassesTheEnvironmentOnWhileASecondThreadLoadsTheListedClassesWithoutRunningThem() {
        Recording loader = new Recording();
        Map<String, String> environment = Map.of("AWS_REGION", "us-east-1");

        assertThat(StartupClasses.loadAhead(loader.handler(), environment)).isSameAs(environment);

        await().atMost(Duration.ofSeconds(30)).until(() -> loader.askedBy.containsKey(LoadedAhead.class.getName()));
        assertThat(loader.askedBy).as("loaded by the second thread, past the class the jar lacks")
                .containsEntry(LoadedAhead.class.getName(), "startup-classes")
                .containsEntry("run.creativeai.gateway.adapters.lambda.NoSuchClassAnyMore", "startup-classes");
        assertThat(AHEAD_INITIALISED).as("the listed class was not initialised").hasValue(0);
    }
}
