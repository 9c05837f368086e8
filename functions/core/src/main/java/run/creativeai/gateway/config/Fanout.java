package run.creativeai.gateway.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Calls that do not depend on each other, made together: the domain says which reads of a run are
 * independent, the adapters decide how they are made ({@code ConcurrentCalls}: at once, on a few
 * threads). Results come back in the order of the calls; a call that fails fails the whole.
 */
public interface Fanout {
    <T> List<T> all(List<? extends Supplier<? extends T>> calls);

    /** Two calls of different types, together. */
    default <A, B> Both<A, B> both(Supplier<A> first, Supplier<B> second) {
        List<Object> results = all(List.<Supplier<?>>of(first, second));
        @SuppressWarnings("unchecked")
        Both<A, B> both = new Both<>((A) results.get(0), (B) results.get(1));
        return both;
    }

    record Both<A, B>(A first, B second) {
    }

    /** Steps with no result (writes to items of their own), together; returns once every one has ended. */
    default void run(Runnable... steps) {
        List<Supplier<Void>> calls = new ArrayList<>(steps.length);
        for (Runnable step : steps) {
            calls.add(() -> {
                step.run();
                return null;
            });
        }
        all(calls);
    }

    /** One call after the other, on the caller's thread (tests, and tools that make one call at a time). */
    static Fanout inOrder() {
        return new Fanout() {
            @Override
            public <T> List<T> all(List<? extends Supplier<? extends T>> calls) {
                List<T> results = new ArrayList<>(calls.size());
                calls.forEach(call -> results.add(call.get()));
                return results;
            }
        };
    }
}
