package run.creativeai.gateway.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.MDC;

/**
 * Takes steps that do not depend on each other at once, and returns when every one of them is done:
 * each is a round trip of its own (a slot given back, credits settled), and a function is billed for
 * the time it waits on them. A step's failure is thrown once all have ended, so whatever comes after
 * them (announcing a job's end) still happens only after all of them succeeded; the steps are
 * idempotent, so the message retried after a failure takes again those that did succeed.
 */
final class SideBySide {
    /** Threads kept while steps go on, one per step in flight beyond the caller's own. */
    private static final ExecutorService STEPS = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "side-by-side");
        thread.setDaemon(true);
        return thread;
    });

    private SideBySide() {
    }

    /** Runs the first step on the calling thread and the others beside it; log lines keep the caller's context. */
    static void run(Runnable first, Runnable... others) {
        Map<String, String> context = MDC.getCopyOfContextMap();
        List<Future<?>> beside = new ArrayList<>(others.length);
        for (Runnable step : others) {
            beside.add(STEPS.submit(() -> {
                if (context != null) {
                    MDC.setContextMap(context);
                }
                try {
                    step.run();
                } finally {
                    MDC.clear();
                }
            }));
        }
        Throwable failure = null;
        try {
            first.run();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        boolean interrupted = false;
        for (Future<?> step : beside) {
            while (true) {
                try {
                    step.get();
                    break;
                } catch (ExecutionException e) {
                    failure = first(failure, e.getCause());
                    break;
                } catch (InterruptedException e) {
                    // The steps are under way: they end before this returns, whatever interrupted the wait.
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException("a step failed", failure);
        }
    }

    private static Throwable first(Throwable kept, Throwable next) {
        if (kept == null) {
            return next;
        }
        kept.addSuppressed(next);
        return kept;
    }
}
