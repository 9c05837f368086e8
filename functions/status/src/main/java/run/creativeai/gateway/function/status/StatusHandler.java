package run.creativeai.gateway.function.status;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.lambda.LambdaJson;
import run.creativeai.gateway.adapters.lambda.LogContext;
import run.creativeai.gateway.adapters.lambda.ScheduledEvents;
import run.creativeai.gateway.adapters.lambda.Priming;
import run.creativeai.gateway.adapters.wiring.StatusWiring;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.status.StatusMonitor;

/**
 * The status function: on each scheduled run, the {@link StatusMonitor} measures, reconciles the
 * incidents, counts the minute of uptime and publishes the status document. Of the schedule's event
 * it reads only the {@code time}; it answers with what it did and the document it published. Lambda calls
 * the stream entry ({@link LambdaJson}), as for every function: the runtime's own event serialiser would
 * load a shaded Jackson of its own (about 750 classes) for the first event.
 */
public final class StatusHandler implements RequestHandler<Map<String, Object>, Map<String, Object>>,
        RequestStreamHandler {
    private final StatusMonitor monitor;
    private final Clock clock;
    private final LogContext log = new LogContext();
    private final Runnable rehearsal;
    // Priming makes a run's reads and renders the document from them alone (a real run would send probes,
    // count a minute and publish), then rehearses the run's writes so that they change nothing.
    private final Priming priming = Priming.register(this, () -> monitorPreview());

    public StatusHandler() {
        this(System.getenv());
    }

    public StatusHandler(Map<String, String> environment) {
        this(new Components(FunctionEnvironment.of(environment), Clock.systemUTC()));
    }

    StatusHandler(Components c) {
        this.clock = c.clock();
        StatusWiring wiring = new StatusWiring(c);
        this.monitor = wiring.monitor();
        this.rehearsal = wiring.rehearsal();
    }

    private void monitorPreview() {
        monitor.preview(clock.instant());
        rehearsal.run();
    }

    /** Lambda's entry: the schedule's event as JSON ({@link LambdaJson}). */
    @Override
    public void handleRequest(InputStream event, OutputStream result, Context context) throws IOException {
        LambdaJson.write(handleRequest(LambdaJson.map(event), context), result);
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        StatusMonitor.Report report;
        try (LogContext.Invocation invocation = log.begin(context)) {
            report = monitor.run(ScheduledEvents.asOf(event, clock));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("at", report.at().toString());
        answer.put("status", report.status());
        answer.put("incidents_opened", report.incidentsOpened());
        answer.put("incidents_resolved", report.incidentsResolved());
        answer.put("maintenance_updates", report.maintenanceUpdates());
        answer.put("reannounced", report.reannounced());
        answer.put("minute_counted", report.minuteCounted());
        answer.put("document", report.document());
        return answer;
    }
}
