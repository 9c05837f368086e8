package run.creativeai.gateway.adapters.lambda;

/**
 * What the function's launch script runs in place of Lambda's runtime when it builds the function's
 * class-data archive ({@code CLASS_ARCHIVE_TRAIN=1}, {@code -XX:ArchiveClassesAtExit}): the handler
 * built as the runtime builds it (its public no-argument constructor, from the function's environment),
 * then its {@link Priming}, which walks the path of a real first event without changing anything and
 * loads the classes such an event loaded ({@value Priming#CLASSES}); then the JVM exits and writes the
 * archive of every class it loaded. A failed priming is logged by {@link Priming} and leaves the archive
 * with what the construction loaded.
 *
 * <p>Argument: the handler's class name.
 */
public final class ClassArchiveTraining {
    private ClassArchiveTraining() {
    }

    public static void main(String[] args) throws ReflectiveOperationException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ClassArchiveTraining <handler class>");
        }
        Object handler = Class.forName(args[0]).getConstructor().newInstance();
        Priming.primeAll();
        // The handler holds its priming, which the registry keeps only weakly: both live until it has run.
        java.lang.ref.Reference.reachabilityFence(handler);
        System.exit(0);
    }
}
