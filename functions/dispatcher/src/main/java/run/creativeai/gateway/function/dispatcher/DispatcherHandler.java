package run.creativeai.gateway.function.dispatcher;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Map;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.lambda.Priming;
import run.creativeai.gateway.adapters.lambda.LambdaJson;
import run.creativeai.gateway.adapters.lambda.LogContext;
import run.creativeai.gateway.adapters.lambda.SqsBatches;
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
public final class DispatcherHandler implements RequestHandler<SQSEvent, SQSBatchResponse>, RequestStreamHandler {
    private static final int PARALLELISM = 10;

    private final Dispatcher dispatcher;
    private final WorkflowRunner workflows;
    private final QueueProbes probes;
    private final Runnable rehearsal;
    private final SqsBatches batches = new SqsBatches(PARALLELISM);
    // A progress check of a job that does not exist, then a start's writes, rehearsed so they change
    // nothing (DispatcherWiring#rehearsal).
    private final Priming priming = Priming.register(this, this::prime);
    private final LogContext log = new LogContext();

    public DispatcherHandler() {
        this(System.getenv());
    }

    public DispatcherHandler(Map<String, String> environment) {
        this(new Components(FunctionEnvironment.of(environment), Clock.systemUTC()));
    }

    DispatcherHandler(Components c) {
        DispatcherWiring wiring = new DispatcherWiring(c);
        this.dispatcher = wiring.dispatcher();
        this.workflows = wiring.workflows();
        this.probes = wiring.probes();
        this.rehearsal = wiring.rehearsal();
    }

    private void prime() {
        handleRequest(Priming.sqs("{\"job_id\":\"" + Priming.NO_JOB + "\",\"attempt\":1,\"check\":1}"), null);
        rehearsal.run();
    }

    /** Lambda's entry: the batch as JSON ({@link LambdaJson}). */
    @Override
    public void handleRequest(InputStream event, OutputStream result, Context context) throws IOException {
        LambdaJson.write(handleRequest(LambdaJson.sqsEvent(event), context), result);
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        try (LogContext.Invocation invocation = log.begin(context)) {
            return process(event);
        }
    }

    private SQSBatchResponse process(SQSEvent event) {
        return batches.process(event, record -> {
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
        });
    }
}
