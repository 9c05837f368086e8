package run.creativeai.local.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.template.SamFunction;
import run.creativeai.template.TemplateException;

/**
 * A {@code Schedule} event: the EventBridge rule SAM makes of it, invoking the function every
 * {@code rate(...)} interval with the scheduled event EventBridge sends (or the event's
 * {@code Input}). Like EventBridge, it invokes asynchronously and does not wait for one run to end
 * before the next; {@link #fire()} runs it now, so nobody waits a minute to see a run.
 */
public final class ScheduleRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleRunner.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SamFunction.ScheduleEvent schedule;
    private final FunctionHost function;
    private final String ruleArn;
    private final String region;
    private final String account;
    private final Duration interval;
    private final ScheduledExecutorService timer;
    /** While set, the timer's runs are skipped ({@link #pause}). */
    private final AtomicBoolean paused = new AtomicBoolean();

    public ScheduleRunner(SamFunction.ScheduleEvent schedule, FunctionHost function, String region, String account) {
        this.schedule = schedule;
        this.function = function;
        this.region = region;
        this.account = account;
        this.ruleArn = "arn:aws:events:" + region + ":" + account + ":rule/" + function.logicalId() + schedule.eventName();
        this.interval = schedule.rate().orElseThrow(() -> new TemplateException(function.logicalId() + ".Events."
                + schedule.eventName() + ": the local runtime runs rate(...) schedules only, not " + schedule.schedule()));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "schedule-" + schedule.eventName());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Skips the timer's runs until the returned handle is closed ({@link #fire} still runs): for a
     * measurement of what each job costs, which a schedule that runs whatever the traffic would blur.
     */
    public AutoCloseable pause() {
        paused.set(true);
        return () -> paused.set(false);
    }

    public void start() {
        if (schedule.enabled()) {
            timer.scheduleAtFixedRate(this::runQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** One run, now, as the rule would make it; the function's result as JSON. */
    public String fire() throws FunctionHost.InvocationFailure {
        return fire(Instant.now());
    }

    /**
     * One run now, with the scheduled event's {@code time} set to {@code time}: a function that reads
     * it runs as of that moment, so a test sees a later run without waiting for it.
     */
    public String fire(Instant time) throws FunctionHost.InvocationFailure {
        return fire(time, Map.of());
    }

    /**
     * One run now whose scheduled event carries {@code detail} (EventBridge's is empty): how the local
     * cloud tells a function what no rule would, such as that the whole system has just started
     * again. A schedule with an {@code Input} sends that instead, as the rule would.
     */
    public String fire(Instant time, Map<String, String> detail) throws FunctionHost.InvocationFailure {
        return function.invoke(schedule.input().orElseGet(() -> scheduledEvent(time, detail)));
    }

    private void runQuietly() {
        if (paused.get()) {
            return;
        }
        try {
            fire(Instant.now());
        } catch (FunctionHost.InvocationFailure e) {
            // EventBridge retries a failed asynchronous invocation; the next run comes soon enough here.
            LOG.warn("scheduled run of {} failed: {}", function.logicalId(), e.getMessage());
        }
    }

    private String scheduledEvent(Instant time, Map<String, String> detail) {
        ObjectNode event = JSON.createObjectNode()
                .put("version", "0")
                .put("id", UUID.randomUUID().toString())
                .put("detail-type", "Scheduled Event")
                .put("source", "aws.events")
                .put("account", account)
                .put("time", time.truncatedTo(ChronoUnit.SECONDS).toString())
                .put("region", region);
        event.putArray("resources").add(ruleArn);
        ObjectNode details = event.putObject("detail");
        detail.forEach(details::put);
        return event.toString();
    }

    public String eventName() {
        return schedule.eventName();
    }

    /** Starts no further run; a run under way carries on. */
    public void stop() {
        timer.shutdown();
    }

    /** Stops, then waits for a run under way, which ends within the function's timeout. */
    @Override
    public void close() {
        stop();
        try {
            if (!timer.awaitTermination(function.longestCall().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("the scheduled run of {} did not end in time; it is stopped", function.logicalId());
                timer.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            timer.shutdownNow();
        }
    }
}
