package run.creativeai.local;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * The crash-injection hook: an AWS SDK interceptor that kills the function invocation making a
 * chosen AWS call, before the call reaches the service, as if the process died at that line. It
 * exists only on the test classpath (registered through the SDK's global interceptor file under
 * {@code src/test/resources}), so no production jar contains it; every function the local cloud
 * runs in the test JVM builds its SDK clients with it. One fault is armed at a time and fires once.
 */
public final class CrashInjection implements ExecutionInterceptor {
    private static final AtomicReference<Fault> ARMED = new AtomicReference<>();

    /** Thrown at the chosen call. An {@link Error}, so no handler's catch of an exception survives it. */
    public static final class InjectedCrash extends Error {
        private static final long serialVersionUID = 1L;

        InjectedCrash(String point) {
            super("injected crash: " + point);
        }
    }

    /** One armed fault: where, and whether it has fired. */
    public static final class Fault implements AutoCloseable {
        private final String point;
        private final Predicate<SdkRequest> call;
        /** A crash ({@link InjectedCrash}), or a transient fault: the call fails as a timed-out one does. */
        private final boolean crash;
        private final AtomicBoolean fired = new AtomicBoolean();

        private Fault(String point, Predicate<SdkRequest> call, boolean crash) {
            this.point = point;
            this.call = call;
            this.crash = crash;
        }

        public boolean fired() {
            return fired.get();
        }

        /** Waits until the fault fired (the crashing thread sets its flag). */
        public void awaitFired(Duration timeout) {
            await("the crash at '" + point + "' is reached").atMost(timeout).pollInterval(Duration.ofMillis(20))
                    .untilTrue(fired);
        }

        /** Disarms it, fired or not. */
        @Override
        public void close() {
            ARMED.compareAndSet(this, null);
        }
    }

    /** Arms a fault that kills the first invocation making a call {@code call} accepts. */
    public static Fault arm(String point, Predicate<SdkRequest> call) {
        return armed(new Fault(point, call, true));
    }

    /**
     * Arms a transient fault: the first call {@code call} accepts fails with the SDK's exception for a
     * call that timed out, as under a throttled or overloaded service; the invocation lives on.
     */
    public static Fault armTransient(String point, Predicate<SdkRequest> call) {
        return armed(new Fault(point, call, false));
    }

    private static Fault armed(Fault fault) {
        if (!ARMED.compareAndSet(null, fault)) {
            throw new IllegalStateException("a fault is armed already");
        }
        return fault;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        Fault fault = ARMED.get();
        if (fault != null && !fault.fired.get() && fault.call.test(context.request())
                && fault.fired.compareAndSet(false, true)) {
            if (!fault.crash) {
                throw software.amazon.awssdk.core.exception.ApiCallTimeoutException.create(10_000);
            }
            throw new InjectedCrash(fault.point);
        }
    }
}
