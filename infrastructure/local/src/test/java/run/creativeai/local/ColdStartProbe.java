package run.creativeai.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs in a fresh JVM started by {@link ColdStartBenchmark}, on a classpath of one function's jar
 * (plus the Lambda event serialization library, as Lambda's Java runtime has, and this class): builds
 * the handler from its environment as Lambda does, optionally runs its priming (what SnapStart's
 * checkpoint would do), handles two events and prints the epoch milliseconds of each step. A
 * {@code RequestStreamHandler} gets the event's bytes, a {@code RequestHandler} the event read by the
 * runtime's serialiser, as Lambda's Java runtime does.
 *
 * <p>Arguments: handler class, file of the first event, file of the second event, "prime" or "plain".
 */
public final class ColdStartProbe {
    private ColdStartProbe() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void main(String[] args) throws Exception {
        long jvmStarted = ManagementFactory.getRuntimeMXBean().getStartTime();
        long mainEntered = System.currentTimeMillis();
        Class<?> handlerClass = Class.forName(args[0]);
        Object handler = handlerClass.getConstructor().newInstance();
        long constructed = System.currentTimeMillis();
        if (args[3].equals("prime")) {
            Class.forName("run.creativeai.gateway.adapters.lambda.Priming").getMethod("primeAll").invoke(null);
        }
        long primed = System.currentTimeMillis();
        handle(handler, Files.readAllBytes(Path.of(args[1])));
        long first = System.currentTimeMillis();
        long cpuAtFirst = processCpuMillis();
        handle(handler, Files.readAllBytes(Path.of(args[2])));
        long second = System.currentTimeMillis();
        System.out.printf("COLDSTART %d %d %d %d %d %d %d%n", jvmStarted, mainEntered, constructed, primed, first, second,
                cpuAtFirst);
        System.exit(0);
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
