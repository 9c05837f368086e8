package run.creativeai.gateway.function.reconciler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.dispatch.PollSchedule;
import run.creativeai.gateway.reconcile.Reconciler;
import run.creativeai.gateway.webhook.WebhookNotifier;
import run.creativeai.gateway.webhook.WebhookSchedule;

/**
 * The reconciler function: on each scheduled run, finds the jobs a crash left without a next step
 * and sends that step's message again ({@link Reconciler}). The schedule's event carries nothing it
 * reads; it answers with what it did.
 */
public final class ReconcilerHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final Reconciler reconciler;

    public ReconcilerHandler() {
        this(System.getenv());
    }

    public ReconcilerHandler(Map<String, String> environment) {
        this(new Components(FunctionEnvironment.of(environment), Clock.systemUTC()));
    }

    ReconcilerHandler(Components c) {
        this.reconciler = new Reconciler(c.unsettledJobs(), c.jobStore(), c.jobQueue(), c.resumptions(),
                new WebhookNotifier(c.webhookQueue(), WebhookSchedule.standard(), c.clock()), PollSchedule.standard(),
                c.reconcileAfter(), c.clock());
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Reconciler.Report report = reconciler.run();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("looked", report.looked());
        answer.put("requeued", report.requeued());
        answer.put("resumed", report.resumed());
        answer.put("announced", report.announced());
        answer.put("given_up", report.givenUp());
        return answer;
    }
}
