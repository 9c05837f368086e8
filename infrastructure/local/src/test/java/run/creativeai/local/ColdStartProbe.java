package run.creativeai.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs in a fresh JVM started by {@link ColdStartBenchmark} in the runtime's place, through the function's
 * launch script as Lambda starts it: loads the function's handler from the class path (the script put the
 * function's jar there, after aws-lambda-java-core and the event serialization library), builds it from
 * its environment as Lambda does, optionally runs its priming (what SnapStart's checkpoint would do),
 * handles two events and prints, for each step, the epoch milliseconds, the classes loaded so far and
 * the process's CPU milliseconds so far. A {@code RequestStreamHandler} gets the event's bytes, a {@code RequestHandler} the event
 * read by the runtime's serialiser, as Lambda's Java runtime does.
 *
 * <p>Arguments: handler class, file of the first event, file of the second event, "prime" or "plain".
 */
public final class ColdStartProbe {
    private static final ClassLoadingMXBean CLASSES = ManagementFactory.getClassLoadingMXBean();
    private static final List<String> STEPS = new ArrayList<>();

    private ColdStartProbe() {
    }

    public static void main(String[] args) throws Exception {
        long jvmStarted = ManagementFactory.getRuntimeMXBean().getStartTime();
        step();
        // The package's launch script put the function's jar on the class path, after the runtime's own.
        Class<?> handlerClass = Class.forName(args[0]);
        Object handler = handlerClass.getConstructor().newInstance();
        step();
        if (args[3].equals("prime")) {
            Class.forName("run.creativeai.gateway.adapters.lambda.Priming", true, handlerClass.getClassLoader())
                    .getMethod("primeAll").invoke(null);
        }
        step();
        handle(handler, Files.readAllBytes(Path.of(args[1])));
        step();
        handle(handler, Files.readAllBytes(Path.of(args[2])));
        step();
        // One line: the JVM's start, then per step (main entered, constructed, primed, first event done,
        // second event done) its epoch ms, classes loaded and CPU ms.
        System.out.println("COLDSTART " + jvmStarted + " " + String.join(" ", STEPS));
        System.exit(0);
    }

    private static void step() {
        STEPS.add(System.currentTimeMillis() + " " + CLASSES.getTotalLoadedClassCount() + " " + processCpuMillis());
    }

    /** CPU time the whole process used so far (every thread: the JIT's and the collector's too). */
    private static long processCpuMillis() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1_000_000;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void handle(Object handler, byte[] event) throws Exception {
        if (handler instanceof RequestStreamHandler stream) {
            stream.handleRequest(new ByteArrayInputStream(event), new ByteArrayOutputStream(), null);
            return;
        }
        Class<Object> input = (Class<Object>) inputType(handler.getClass());
        var serializer = LambdaEventSerializers.serializerFor(input, handler.getClass().getClassLoader());
        ((RequestHandler) handler).handleRequest(serializer.fromJson(new ByteArrayInputStream(event)), null);
    }

    private static Class<?> inputType(Class<?> handlerClass) {
        for (Type type : handlerClass.getGenericInterfaces()) {
            if (type instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                Type input = p.getActualTypeArguments()[0];
                // A generic input such as the reconciler's Map<String, Object> is read as its raw type.
                return input instanceof ParameterizedType generic ? (Class<?>) generic.getRawType() : (Class<?>) input;
            }
        }
        throw new IllegalArgumentException(handlerClass + " is not a RequestHandler");
    }
}
