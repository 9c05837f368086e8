package run.creativeai.gateway.function.reconciler;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.ConcurrentCalls;
import run.creativeai.gateway.adapters.lambda.ScheduledEvents;
import run.creativeai.gateway.adapters.lambda.ScheduledFunction;
import run.creativeai.gateway.adapters.wiring.ReconcilerWiring;
import run.creativeai.gateway.config.Fanout;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.reconcile.Reconciler;
import run.creativeai.gateway.workflow.WorkflowSweep;

/**
 * The reconciler function: on each scheduled run, finds the jobs a crash left without a next step
 * and sends that step's message again ({@link Reconciler}). Of the schedule's event it reads the
 * {@code time}, and {@code detail.restarted_at} when the whole system has just started again (the
 * local cloud's first run on kept data says so; EventBridge's scheduled events never do); it
 * answers with what it did.
 */
public final class ReconcilerHandler extends ScheduledFunction {
    private final Reconciler reconciler;
    private final WorkflowSweep workflows;
    private final Clock clock;
    private final Runnable rehearsal;

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

    /**
     * A sweep as of the epoch: the same queries of the unsettled and resting indexes as a real run, over
     * a range that holds nothing (every job and workflow was written since), so nothing is found and
     * nothing is sent; then a resumption's message goes to a queue that does not exist.
     */
    @Override
    protected void prime() {
        sweep(Instant.EPOCH, Optional.empty());
        rehearsal.run();
    }

    @Override
    protected Map<String, Object> handle(Map<String, Object> event) {
        return sweep(ScheduledEvents.asOf(event, clock), ScheduledEvents.restartedAt(event));
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
