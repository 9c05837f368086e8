package run.creativeai.gateway.adapters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.MDC;
import run.creativeai.gateway.config.Fanout;

/**
 * Independent calls to AWS made at once instead of one after another: the shards of an index, the
 * items of a page no single batch reads, a status run's rounds. A few platform threads per container
 * over the same synchronous clients, which is cheaper to start than the SDK's asynchronous clients
 * (another HTTP client and their own class graph). {@value #THREADS} workers and the caller: a status
 * run's widest round (a probe and a depth per tier, the counters, the maintenance windows, the last
 * readings and the document's generation: eleven calls) goes out in one wave, a reconciler sweep's
 * 17 queries in two. The template raises the JDK's keep-alive cache to as many connections per host
 * ({@code -Dhttp.maxConnections=11}), so none is opened only to be closed. The workers carry the
 * caller's log context, so what they log names the invocation.
 */
public final class ConcurrentCalls implements Fanout {
    static final int THREADS = 10;
    /**
     * The most calls of one fan-out in flight at once, the workers' and the caller's: what the JDK's
     * keep-alive cache must hold per host ({@code http.maxConnections} in the template).
     */
    public static final int LANES = THREADS + 1;
    /** A worker's name, and what follows it while the worker makes a caller's call: the caller's name. */
    public static final String NAME = "aws-calls";
    public static final String FOR = " for ";
    /** The container's one instance: its workers are shared by every caller. */
    public static final ConcurrentCalls AT_ONCE = new ConcurrentCalls();

    private ConcurrentCalls() {
    }

    /** A worker's thread: a fan-out made from one runs on it alone, so workers never wait on each other. */
    private static final class Worker extends Thread {
        Worker(Runnable task) {
            super(task, NAME);
            setDaemon(true);
        }
    }

    /** Built at the first fan-out, so a function that never makes one starts no thread. */
    private static final class Workers {
        static final ExecutorService POOL = pool();

        private static ExecutorService pool() {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), Worker::new);
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }
    }

    /**
     * Makes every call, the first on this thread and the others on the workers, and returns their
     * results in the order of the calls. A call that fails fails the whole, with its own exception,
     * once every call has ended (none is left running behind the caller).
     */
    @Override
    public <T> List<T> all(List<? extends Supplier<? extends T>> calls) {
        if (calls.size() <= 1 || Thread.currentThread() instanceof Worker) {
            return Fanout.inOrder().all(calls);
        }
        Map<String, String> logContext = MDC.getCopyOfContextMap();
        String caller = Thread.currentThread().getName();
        List<Future<T>> others = new ArrayList<>(calls.size() - 1);
        for (Supplier<? extends T> call : calls.subList(1, calls.size())) {
            others.add(Workers.POOL.submit(() -> {
                if (logContext != null) {
                    MDC.setContextMap(logContext);
                }
                // While it works for a caller, a worker's name says whose call it makes (thread dumps, meters).
                Thread worker = Thread.currentThread();
                worker.setName(NAME + FOR + caller);
                try {
                    return call.get();
                } finally {
                    MDC.clear();
                    worker.setName(NAME);
                }
            }));
        }
        List<T> results = new ArrayList<>(calls.size());
        RuntimeException failed = null;
        try {
            results.add(calls.get(0).get());
        } catch (RuntimeException e) {
            failed = e;
        }
        for (Future<T> other : others) {
            try {
                results.add(awaitUninterruptibly(other));
            } catch (ExecutionException e) {
                RuntimeException cause = unchecked(e.getCause());
                if (failed == null) {
                    failed = cause;
                } else {
                    failed.addSuppressed(cause);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
        return results;
    }

    private static <T> T awaitUninterruptibly(Future<T> future) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static RuntimeException unchecked(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(cause);
    }
}
