package run.creativeai.gateway.adapters.lambda;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classes a fresh instance of a function loads, from its handler class to the end of its first real
 * event: a list beside the handler class, {@value #LIST}, one class a line in the order they were
 * loaded, written by the cold-start benchmark ({@code ColdStartBenchmark}, with
 * {@code -Dcold-start.record-classes=true}). Two uses:
 * <ul>
 * <li>Lambda's entry to a handler {@linkplain #loadAhead loads them on a second thread} while the first
 * builds the handler. An on-demand instance's init then reads, parses and defines classes on both of the
 * execution environment's two vCPUs instead of one, and the first event finds most of its classes loaded.
 * The thread only loads: the handler's own thread still links and initialises what it uses, and a class
 * both want is loaded once (the class loader locks per name).</li>
 * <li>{@link Priming} {@linkplain #load loads them before the snapshot}, reaching what its harmless
 * event does not (the branches a found job or an admitted request takes).</li>
 * </ul>
 * Both load without initialising, so nothing of a listed class runs. A class the list names that the jar
 * no longer has is skipped; a handler with no list loads nothing ahead.
 */
public final class StartupClasses {
    /** The resource, beside the handler class, naming the classes of a fresh instance (one a line). */
    public static final String LIST = "startup-classes.txt";
    private static final Logger LOG = LoggerFactory.getLogger(StartupClasses.class);

    private StartupClasses() {
    }

    /**
     * Starts loading {@code handler}'s list on a daemon thread and returns {@code then}: written as the
     * argument of the handler's no-argument constructor (Lambda's entry), so the loading starts before
     * anything of the handler is built ({@code this(StartupClasses.loadAhead(MyHandler.class, System.getenv()))}).
     */
    public static <T> T loadAhead(Class<?> handler, T then) {
        Thread thread = new Thread(() -> {
            try {
                load(handler);
            } catch (RuntimeException e) {
                LOG.warn("the startup classes were not loaded ahead; the handler loads them itself: {}", e.toString());
            }
        }, "startup-classes");
        thread.setDaemon(true);
        thread.start();
        return then;
    }

    /** Loads (without initialising) every class of {@code handler}'s list that its class loader can find. */
    public static void load(Class<?> handler) {
        ClassLoader loader = handler.getClassLoader();
        for (String name : names(handler)) {
            try {
                Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                // Not in this jar (any more): nothing to load.
            }
        }
    }

    private static List<String> names(Class<?> handler) {
        try (InputStream list = handler.getResourceAsStream(LIST)) {
            if (list == null) {
                return List.of();
            }
            return new BufferedReader(new InputStreamReader(list, StandardCharsets.UTF_8)).lines().map(String::strip)
                    .filter(name -> !name.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
