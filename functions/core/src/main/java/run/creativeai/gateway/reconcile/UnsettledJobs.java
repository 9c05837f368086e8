package run.creativeai.gateway.reconcile;

import java.time.Instant;
import java.util.List;
import run.creativeai.gateway.job.JobId;

/**
 * The index of jobs whose end has not been carried out yet ({@link Unsettled}), by when the reconciler
 * should look at them. A job's writes do not move its entry (that would cost an index write each): the
 * entry keeps the time of the job's admission, or what the reconciler last recorded.
 */
public interface UnsettledJobs {

    /** Up to {@code limit} unsettled jobs whose attention time is at or before {@code before}. */
    List<Candidate> due(Instant before, int limit);

    /**
     * Records a recovery and when to look again, unless the job moved since {@code version} (then
     * its own next step put it back in order, and false is returned).
     */
    boolean recovered(JobId job, long version, int recoveries, Instant lookAgainFrom);

    /**
     * Records that the job, found alive, last moved at {@code movedAt}, so it is not looked at again
     * before it has rested from then; nothing when it moved since {@code version}.
     */
    void lookAgain(JobId job, long version, Instant movedAt);

    /**
     * @param attentionAt when the job was admitted, or what the reconciler last recorded
     * @param recoveries  recoveries since the job last moved
     */
    record Candidate(JobId id, Instant attentionAt, int recoveries) {
    }
}
