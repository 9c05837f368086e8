package run.creativeai.gateway.workflow;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.job.WorkflowId;

/**
 * The reconciler's part for workflows. Every message that moves a workflow on is redelivered if its
 * function dies, but a function can die after a write whose message it never sent: a workflow stored
 * and never handed to the dispatcher, a step's job ended whose workflow was never told (its dependents
 * not started, or the workflow never completed). An unfinished workflow rests in the store's index
 * from its last write; one resting longer than any live step lets it gets a message to move on, which
 * changes nothing for one that was only waiting (a long video step, a full slot pool).
 */
public final class WorkflowSweep {
    /** Workflows looked at in one run; the next run takes the rest. */
    static final int BATCH = 200;
    private static final Logger LOG = LoggerFactory.getLogger(WorkflowSweep.class);

    private final WorkflowStore workflows;
    private final WorkflowQueue queue;
    private final Duration stuckAfter;

    public WorkflowSweep(WorkflowStore workflows, WorkflowQueue queue, Duration stuckAfter) {
        this.workflows = workflows;
        this.queue = queue;
        this.stuckAfter = stuckAfter;
    }

    /**
     * Sends a message to every unfinished workflow that rested since before {@code now - stuckAfter}
     * (or, after the whole system restarted, since before the restart) and notes that it was looked at.
     *
     * @return how many were sent on
     */
    public int run(Instant now, Optional<Instant> restartedAt) {
        Instant stuckBefore = now.minus(stuckAfter);
        Instant due = restartedAt.filter(stuckBefore::isBefore).orElse(stuckBefore);
        int advanced = 0;
        for (WorkflowId id : workflows.resting(due, BATCH)) {
            LOG.info("workflow {} has not moved since before {}: it is moved on", id, due);
            queue.advance(id, Duration.ZERO);
            workflows.lookedAt(id, now);
            advanced++;
        }
        return advanced;
    }
}
