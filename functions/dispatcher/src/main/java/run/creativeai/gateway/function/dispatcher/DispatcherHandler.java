package run.creativeai.gateway.function.dispatcher;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Clock;
import java.util.Map;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.lambda.Priming;
import run.creativeai.gateway.adapters.lambda.SqsFunction;
import run.creativeai.gateway.adapters.sqs.SqsRetries;
import run.creativeai.gateway.adapters.wiring.DispatcherWiring;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.dispatch.DispatchMessages.DispatchMessage;
import run.creativeai.gateway.dispatch.DispatchMessages;
import run.creativeai.gateway.dispatch.Dispatcher;
import run.creativeai.gateway.status.QueueProbes;
import run.creativeai.gateway.workflow.WorkflowRunner;

/**
 * The dispatcher function: consumes the three priority queues (jobs to start, and the status
 * monitor's probes of them) and the progress queue (running jobs to check on, cancelled jobs to stop
 * at their provider, jobs to resume after a crash, jobs whose deadline passed, workflows to move on),
 * and reports each failed message on its own.
 */
public final class DispatcherHandler extends SqsFunction {
    private final Dispatcher dispatcher;
    private final WorkflowRunner workflows;
    private final QueueProbes probes;
    // A start's writes, rehearsed so they change nothing (DispatcherWiring#rehearsal).
    private final Runnable rehearsal;

    public DispatcherHandler() {
        this(System.getenv());
    }

    public DispatcherHandler(Map<String, String> environment) {
        this(new Components(FunctionEnvironment.of(environment), Clock.systemUTC()));
    }

    DispatcherHandler(Components c) {
        // A record that failed comes back in seconds, not after the queue's visibility timeout.
        super(SqsRetries.of(c::sqs, c.environment(), Components.ENTERPRISE_QUEUE_URL, Components.PRO_QUEUE_URL,
                Components.FREE_QUEUE_URL, Components.PROGRESS_QUEUE_URL));
        DispatcherWiring wiring = new DispatcherWiring(c);
        this.dispatcher = wiring.dispatcher();
        this.workflows = wiring.workflows();
        this.probes = wiring.probes();
        this.rehearsal = wiring.rehearsal();
    }

    /** A progress check of a job that does not exist. */
    @Override
    protected String primingMessage() {
        return "{\"job_id\":\"" + Priming.NO_JOB + "\",\"attempt\":1,\"check\":1}";
    }

    @Override
    protected void rehearse() {
        rehearsal.run();
    }

    @Override
    protected void handle(SQSEvent.SQSMessage record) {
        DispatchMessage message = DispatchMessages.read(record.getBody()).orElseThrow(
                () -> new IllegalArgumentException("message " + record.getMessageId() + " is not a dispatch message"));
        if (message instanceof DispatchMessage.Start start) {
            dispatcher.start(start.jobId());
        } else if (message instanceof DispatchMessage.Progress progress) {
            dispatcher.checkProgress(progress.check());
        } else if (message instanceof DispatchMessage.Resume resume) {
            dispatcher.resume(resume.jobId());
        } else if (message instanceof DispatchMessage.Deadline deadline) {
            dispatcher.deadline(deadline.jobId());
        } else if (message instanceof DispatchMessage.Advance advance) {
            workflows.advance(advance.workflowId());
        } else if (message instanceof DispatchMessage.Probe probe) {
            probes.received(probe.tier(), probe.sentAt());
        } else {
            dispatcher.canceled(((DispatchMessage.Canceled) message).jobId());
        }
    }
}
