package run.creativeai.gateway.adapters;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Supplier;

/**
 * An AWS client built at its first call instead of when a function's wiring takes it: a function
 * whose first event never reaches the client (an admission never touches S3) does not load the
 * client's hundreds of classes before it answers. The SDK's clients are interfaces, so a JDK proxy
 * stands in for one; the cost per call is one reflective call, nothing beside a network round trip.
 */
final class LazyClient<T> implements InvocationHandler {
    private final Supplier<T> build;
    private volatile T client;

    private LazyClient(Supplier<T> build) {
        this.build = build;
    }

    /** A {@code type} that builds the real client with {@code build} when any of its methods is first called. */
    static <T> T of(Class<T> type, Supplier<T> build) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, new LazyClient<>(build)));
    }

    private T client() {
        T built = client;
        if (built == null) {
            synchronized (this) {
                built = client;
                if (built == null) {
                    built = build.get();
                    client = built;
                }
            }
        }
        return built;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "lazy " + proxy.getClass().getInterfaces()[0].getSimpleName();
            };
        }
        if (method.getName().equals("close") && client == null) {
            return null;
        }
        try {
            return method.invoke(client(), args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
