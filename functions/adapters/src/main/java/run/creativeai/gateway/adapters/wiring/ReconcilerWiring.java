package run.creativeai.gateway.adapters.wiring;

import java.time.Duration;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.lambda.Rehearsals;
import run.creativeai.gateway.workflow.WorkflowSweep;
import run.creativeai.gateway.adapters.dynamodb.DynamoDbUnsettledJobs;
import run.creativeai.gateway.dispatch.PollSchedule;
import run.creativeai.gateway.reconcile.Reconciler;

/** The reconciler function's parts, built once per container. */
public final class ReconcilerWiring {
    /** How long a job may rest between two steps before it counts as stuck, unless {@code RECONCILE_AFTER_SECONDS} says. */
    public static final Duration DEFAULT_RECONCILE_AFTER = Duration.ofMinutes(15);

    private final Reconciler reconciler;
    private final WorkflowSweep workflows;
    private final Runnable rehearsal;

    public ReconcilerWiring(Components c) {
        String jobsTable = c.environment().required(Components.JOBS_TABLE);
        Duration stuckAfter = Duration.ofSeconds(c.environment().integer(Components.RECONCILE_AFTER_SECONDS,
                (int) DEFAULT_RECONCILE_AFTER.toSeconds()));
        this.reconciler = new Reconciler(new DynamoDbUnsettledJobs(c.dynamoDb(), jobsTable), Adapters.jobs(c),
                Adapters.tierQueues(c), Adapters.progressQueue(c), Adapters.jobEndings(c), Adapters.jobStarts(c),
                PollSchedule.standard(), Adapters.settlements(c), stuckAfter, c.clock());
        this.workflows = new WorkflowSweep(Adapters.workflows(c), Adapters.progressQueue(c), stuckAfter);
        // The queues' client is built at a sweep's first send, so a sweep that finds nothing due (most
        // of them, a cold start's first among them) builds none; a priming builds it and sends as a
        // resumed job's message is sent, to a queue that does not exist.
        String progressQueue = c.environment().required(Components.PROGRESS_QUEUE_URL);
        this.rehearsal = () -> Rehearsals.sendToAbsentQueue(c.sqs(), progressQueue);
    }

    /** What priming runs beside a sweep that finds nothing ({@link Rehearsals}). */
    public Runnable rehearsal() {
        return rehearsal;
    }

    /** The workflows a crash left without their next message. */
    public WorkflowSweep workflows() {
        return workflows;
    }

    public Reconciler reconciler() {
        return reconciler;
    }
}
