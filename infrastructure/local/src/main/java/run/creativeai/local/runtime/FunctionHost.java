package run.creativeai.local.runtime;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.template.SamFunction;
import run.creativeai.template.TemplateException;

/**
 * Runs one function of the template the way Lambda does: each execution environment is an instance
 * of the handler class built once (its constructor is the function's init) and reused for one
 * invocation at a time; events go in and results come out as JSON, as the Lambda Java runtime passes
 * them: to a {@code RequestStreamHandler} as they are, to a {@code RequestHandler} through the same
 * serialiser the runtime uses (a handler that is both is called as a stream handler, as the runtime's
 * method resolution does); an invocation that outlives the function's timeout fails, and its
 * environment is thrown away. The handler receives the environment the template gives it through
 * its {@code Map<String, String>} constructor, since functions share this JVM.
 */
public final class FunctionHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FunctionHost.class);
    private static final Duration ABANDONED_GRACE = Duration.ofSeconds(2);
    /** Beyond the timeout: the invocation's own start and end, and its caller's work around it. */
    private static final Duration AROUND_AN_INVOCATION = Duration.ofSeconds(5);

    private final SamFunction function;
    private final String functionName;
    private final Map<String, String> environment;
    private final Constructor<?> constructor;
    private final PojoSerializer<Object> input;
    private final PojoSerializer<Object> output;
    private final ConcurrentLinkedDeque<Object> idle = new ConcurrentLinkedDeque<>();
    private final ExecutorService invocations;
    private final AtomicInteger initialisations = new AtomicInteger();
    private final AtomicInteger invocationCount = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong billedMillis = new java.util.concurrent.atomic.AtomicLong();

    @SuppressWarnings("unchecked")
    public FunctionHost(SamFunction function, String functionName, Map<String, String> environment) {
        this.function = function;
        this.functionName = functionName;
        this.environment = Map.copyOf(environment);
        String className = function.handler().split("::")[0];
        Class<?> handlerClass;
        try {
            handlerClass = Class.forName(className, false, getClass().getClassLoader());
            this.constructor = handlerClass.getConstructor(Map.class);
        } catch (ClassNotFoundException e) {
            throw new TemplateException(function.logicalId() + ": handler class " + className + " is not on the classpath");
        } catch (NoSuchMethodException e) {
            throw new TemplateException(function.logicalId() + ": " + className
                    + " needs a public constructor taking the function's environment as Map<String, String>");
        }
        if (RequestStreamHandler.class.isAssignableFrom(handlerClass)) {
            this.input = null;
            this.output = null;
        } else {
            Type[] io = handlerTypes(handlerClass);
            this.input = (PojoSerializer<Object>) LambdaEventSerializers.serializerFor((Class<Object>) io[0],
                    getClass().getClassLoader());
            this.output = (PojoSerializer<Object>) LambdaEventSerializers.serializerFor((Class<Object>) io[1],
                    getClass().getClassLoader());
        }
        this.invocations = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "lambda-" + function.logicalId());
            thread.setDaemon(true);
            return thread;
        });
    }

    private static Type[] handlerTypes(Class<?> handlerClass) {
        for (Type type : handlerClass.getGenericInterfaces()) {
            if (type instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                // A generic event type such as Map<String, Object> is read as its raw class, as Lambda does.
                return java.util.Arrays.stream(p.getActualTypeArguments())
                        .map(t -> t instanceof ParameterizedType generic ? generic.getRawType() : t)
                        .toArray(Type[]::new);
            }
        }
        throw new TemplateException(handlerClass.getName() + " does not implement RequestHandler<I, O>");
    }

    public String logicalId() {
        return function.logicalId();
    }

    public SamFunction function() {
        return function;
    }

    public Map<String, String> environment() {
        return environment;
    }

    /**
     * The longest a caller (the API, an event source mapping, a schedule) spends on one invocation,
     * the work around it included: what a stop waits for the calls under way, at most.
     */
    public Duration longestCall() {
        return Duration.ofSeconds(function.timeoutSeconds()).plus(AROUND_AN_INVOCATION);
    }

    /** Execution environments started so far (cold starts). */
    public int initialisations() {
        return initialisations.get();
    }

    public int invocations() {
        return invocationCount.get();
    }

    /**
     * Handler time so far as Lambda bills it: each invocation's duration rounded up to the
     * millisecond (init excluded, as on Lambda's managed runtimes); times {@link SamFunction#memoryMb()} gives GB-s.
     */
    public long billedMillis() {
        return billedMillis.get();
    }

    /**
     * Invokes the function with an event given as JSON.
     *
     * @return the function's result as JSON
     * @throws InvocationFailure when the handler threw, its init failed, or it timed out
     */
    public String invoke(String eventJson) throws InvocationFailure {
        invocationCount.incrementAndGet();
        Duration timeout = Duration.ofSeconds(function.timeoutSeconds());
        String requestId = UUID.randomUUID().toString();
        AtomicBoolean abandoned = new AtomicBoolean();
        Future<String> result = invocations.submit(() -> {
            Object handler = idle.pollFirst();
            if (handler == null) {
                handler = initialise();
            }
            long started = System.nanoTime();
            try {
                LocalContext context = new LocalContext(requestId, Instant.now().plus(timeout));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                if (handler instanceof RequestStreamHandler stream) {
                    stream.handleRequest(new java.io.ByteArrayInputStream(eventJson.getBytes(StandardCharsets.UTF_8)), out,
                            context);
                } else {
                    @SuppressWarnings("unchecked")
                    RequestHandler<Object, Object> typed = (RequestHandler<Object, Object>) handler;
                    output.toJson(typed.handleRequest(input.fromJson(eventJson), context), out);
                }
                return out.toString(StandardCharsets.UTF_8);
            } finally {
                billedMillis.addAndGet((System.nanoTime() - started + 999_999) / 1_000_000);
                // A handler error leaves the environment in service, as on Lambda; a timeout does not.
                if (!abandoned.get()) {
                    idle.addFirst(handler);
                }
            }
        });
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abandoned.set(true);
            result.cancel(true);
            throw new InvocationFailure(function.logicalId() + " " + requestId + ": Task timed out after "
                    + timeout.toSeconds() + " seconds", e);
        } catch (ExecutionException e) {
            throw new InvocationFailure(function.logicalId() + " " + requestId + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvocationFailure(function.logicalId() + ": interrupted", e);
        }
    }

    private Object initialise() throws ReflectiveOperationException {
        long start = System.nanoTime();
        Object handler = constructor.newInstance(environment);
        initialisations.incrementAndGet();
        LOG.debug("{}: execution environment started in {} ms", function.logicalId(),
                (System.nanoTime() - start) / 1_000_000);
        return handler;
    }

    /**
     * Closed once its callers (the API, the event source mappings, the schedules) have stopped and
     * their invocations returned; what may still run is an invocation abandoned at its timeout,
     * given a moment to notice its interruption.
     */
    @Override
    public void close() {
        invocations.shutdown();
        try {
            if (!invocations.awaitTermination(ABANDONED_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                invocations.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            invocations.shutdownNow();
        }
    }

    /** An invocation that did not return a result. */
    public static final class InvocationFailure extends Exception {
        private static final long serialVersionUID = 1L;

        InvocationFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final class LocalContext implements Context {
        private final String requestId;
        private final Instant deadline;

        LocalContext(String requestId, Instant deadline) {
            this.requestId = requestId;
            this.deadline = deadline;
        }

        @Override
        public String getAwsRequestId() {
            return requestId;
        }

        @Override
        public String getLogGroupName() {
            return environment.getOrDefault("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + functionName);
        }

        @Override
        public String getLogStreamName() {
            return "local";
        }

        @Override
        public String getFunctionName() {
            return functionName;
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:" + environment.get("AWS_REGION") + ":000000000000:function:" + functionName;
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return (int) Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
        }

        @Override
        public int getMemoryLimitInMB() {
            return function.memoryMb();
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                    System.out.println(message);
                }

                @Override
                public void log(byte[] message) {
                    System.out.println(new String(message, StandardCharsets.UTF_8));
                }
            };
        }
    }
}
