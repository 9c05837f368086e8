package run.creativeai.gateway.function.status;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.lambda.ScheduledEvents;
import run.creativeai.gateway.adapters.lambda.ScheduledFunction;
import run.creativeai.gateway.adapters.wiring.StatusWiring;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.status.StatusMonitor;

/**
 * The status function: on each scheduled run, the {@link StatusMonitor} measures, reconciles the
 * incidents, counts the minute of uptime and publishes the status document. Of the schedule's event
 * it reads only the {@code time}; it answers with what it did and the document it published.
 */
public final class StatusHandler extends ScheduledFunction {
    private final StatusMonitor monitor;
    private final Clock clock;
    private final Runnable rehearsal;

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

    /**
     * A run's reads, and the document rendered from them alone (a real run would send probes, count a
     * minute and publish), then the run's writes rehearsed so that they change nothing.
     */
    @Override
    protected void prime() {
        monitor.preview(clock.instant());
        rehearsal.run();
    }

    @Override
    protected Map<String, Object> handle(Map<String, Object> event) {
        StatusMonitor.Report report = monitor.run(ScheduledEvents.asOf(event, clock));
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
