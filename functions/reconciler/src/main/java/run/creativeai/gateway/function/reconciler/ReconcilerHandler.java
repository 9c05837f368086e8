package run.creativeai.gateway.function.reconciler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.ConcurrentCalls;
import run.creativeai.gateway.adapters.lambda.LambdaJson;
import run.creativeai.gateway.adapters.lambda.LogContext;
import run.creativeai.gateway.adapters.lambda.Priming;
import run.creativeai.gateway.adapters.lambda.ScheduledEvents;
import run.creativeai.gateway.adapters.wiring.ReconcilerWiring;
import run.creativeai.gateway.workflow.WorkflowSweep;
import run.creativeai.gateway.config.Fanout;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.reconcile.Reconciler;

/**
 * The reconciler function: on each scheduled run, finds the jobs a crash left without a next step
 * and sends that step's message again ({@link Reconciler}). Of the schedule's event it reads the
 * {@code time}, and {@code detail.restarted_at} when the whole system has just started again (the
 * local cloud's first run on kept data says so; EventBridge's scheduled events never do); it
 * answers with what it did.
 */
public final class ReconcilerHandler implements RequestHandler<Map<String, Object>, Map<String, Object>>,
        RequestStreamHandler {
    private final Reconciler reconciler;
    private final WorkflowSweep workflows;
    private final Clock clock;
    private final LogContext log = new LogContext();
    private final Runnable rehearsal;
    // Priming sweeps as of the epoch: the same queries of the unsettled and resting indexes as a real
    // run, over a range that holds nothing (every job and workflow was written since), so nothing is
    // found and nothing is sent; then a resumption's message goes to a queue that does not exist.
    private final Priming priming = Priming.register(this, this::prime);

    public ReconcilerHandler() {
        this(System.getenv());
    }

    public ReconcilerHandler(Map<String, String> environment) {
        this(new Components(FunctionEnvironment.of(environment), Clock.systemUTC()));
    }

    ReconcilerHandler(Components c) {
        this.clock = c.clock();
        ReconcilerWiring wiring = new ReconcilerWiring(c);
        this.reconciler = wiring.reconciler();
        this.workflows = wiring.workflows();
        this.rehearsal = wiring.rehearsal();
    }

    private void prime() {
        sweep(Instant.EPOCH, Optional.empty());
        rehearsal.run();
    }

    /** Lambda's entry: the schedule's event as JSON ({@link LambdaJson}). */
    @Override
    public void handleRequest(InputStream event, OutputStream result, Context context) throws IOException {
        LambdaJson.write(handleRequest(LambdaJson.map(event), context), result);
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        try (LogContext.Invocation invocation = log.begin(context)) {
            return sweep(ScheduledEvents.asOf(event, clock), ScheduledEvents.restartedAt(event));
        }
    }

    /** The jobs' sweep and the workflows' at once: they read different tables and send different messages. */
    private Map<String, Object> sweep(Instant now, Optional<Instant> restartedAt) {
        Fanout.Both<Reconciler.Report, Integer> done = ConcurrentCalls.AT_ONCE.both(
                () -> restartedAt.map(restart -> reconciler.runAfterRestart(now, restart)).orElseGet(() -> reconciler.run(now)),
                () -> workflows.run(now, restartedAt));
        Reconciler.Report report = done.first();
        int workflowsAdvanced = done.second();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("looked", report.looked());
        answer.put("requeued", report.requeued());
        answer.put("resumed", report.resumed());
        answer.put("announced", report.announced());
        answer.put("settled", report.settled());
        answer.put("given_up", report.givenUp());
        answer.put("workflows_advanced", workflowsAdvanced);
        return answer;
    }
}
