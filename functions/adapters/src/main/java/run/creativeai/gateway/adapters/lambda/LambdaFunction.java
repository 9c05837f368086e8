package run.creativeai.gateway.adapters.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * What every function's handler is to Lambda: a stream handler, which Lambda's Java runtime picks for
 * {@code Class::handleRequest}, reading the event and writing the answer with the project's own
 * Jackson ({@link LambdaJson}: the runtime's serialiser would load a shaded Jackson of its own and map
 * the event types by reflection); the same handler typed, for callers that hold an event object (the
 * local runtime, tests); each invocation's log lines with its context ({@link LogContext}); and the
 * function's {@link Priming}, which the handler holds, since CRaC keeps resources only weakly.
 *
 * @param <I> the event
 * @param <O> the answer
 */
public abstract class LambdaFunction<I, O> implements RequestHandler<I, O>, RequestStreamHandler {
    private final LogContext log = new LogContext();
    private final Priming priming;

    /** A function primed once. */
    protected LambdaFunction() {
        this(1);
    }

    /** A function primed {@code primingRounds} times ({@link Priming#register(Object, int, Runnable)}). */
    protected LambdaFunction(int primingRounds) {
        this.priming = Priming.register(this, primingRounds, this::prime);
    }

    /** The event, as Lambda passes it. */
    protected abstract I read(InputStream event) throws IOException;

    /** The answer, as Lambda takes it. */
    protected abstract void write(O answer, OutputStream out) throws IOException;

    /** Handles one event, within the invocation's log context. */
    protected abstract O handle(I event);

    /**
     * Handles a harmless event of the function's own and rehearses the writes it stops short of, so
     * that a snapshot holds the real path loaded and nothing is changed ({@link Priming}).
     */
    protected abstract void prime();

    /** Lambda's entry. */
    @Override
    public final void handleRequest(InputStream event, OutputStream result, Context context) throws IOException {
        write(handleRequest(read(event), context), result);
    }

    @Override
    public final O handleRequest(I event, Context context) {
        try (LogContext.Invocation invocation = log.begin(context)) {
            return handle(event);
        }
    }
}
