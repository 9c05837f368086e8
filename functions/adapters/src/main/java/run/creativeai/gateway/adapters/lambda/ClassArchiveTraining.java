package run.creativeai.gateway.adapters.lambda;

/**
 * What the function's launch script runs in place of Lambda's runtime when it builds the function's
 * class-data archive ({@code CLASS_ARCHIVE_TRAIN=1}, {@code -XX:ArchiveClassesAtExit}): the handler
 * built as the runtime builds it (its public no-argument constructor, from the function's environment),
 * then its {@link Priming}, which walks the path of a real first event without changing anything and
 * loads the classes such an event loaded ({@value Priming#CLASSES}); then the JVM exits and writes the
 * archive of every class it loaded. A failed priming (its services unreachable) would leave an archive
 * of the construction alone: the JVM then exits with {@value #PRIMING_FAILED}, which the archive's
 * builder refuses.
 *
 * <p>Argument: the handler's class name.
 */
public final class ClassArchiveTraining {
    /** The exit status of a training whose priming failed. */
    public static final int PRIMING_FAILED = 3;

    private ClassArchiveTraining() {
    }

    public static void main(String[] args) throws ReflectiveOperationException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ClassArchiveTraining <handler class>");
        }
        Object handler = Class.forName(args[0]).getConstructor().newInstance();
        boolean primed = Priming.primeAll();
        // The handler holds its priming, which the registry keeps only weakly: both live until it has run.
        java.lang.ref.Reference.reachabilityFence(handler);
        if (!primed) {
            System.err.println("ClassArchiveTraining: the priming of " + args[0] + " failed (logged above)");
        }
        System.exit(primed ? 0 : PRIMING_FAILED);
    }
}
