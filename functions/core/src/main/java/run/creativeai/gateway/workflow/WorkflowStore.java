package run.creativeai.gateway.workflow;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import run.creativeai.gateway.job.WorkflowId;

/**
 * Where workflows live. Every write is conditional, as for jobs. An unfinished workflow is indexed
 * by when it last moved, so the reconciler finds one a crash left without its next message.
 */
public interface WorkflowStore {
    /** Writes a new workflow; false if one with that id exists already. */
    boolean create(Workflow workflow);

    Optional<Workflow> find(WorkflowId id);

    /** Writes {@code next} only over version {@code next.version() - 1}; false when another writer got there first. */
    boolean update(Workflow next);

    /** Up to {@code limit} unfinished workflows that have not moved (nor been looked at) since {@code before}. */
    List<WorkflowId> resting(Instant before, int limit);

    /** The reconciler looked at the workflow at {@code at}: it rests from then. */
    void lookedAt(WorkflowId id, Instant at);
}
