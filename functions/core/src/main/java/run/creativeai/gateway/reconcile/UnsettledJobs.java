package run.creativeai.gateway.reconcile;

import java.time.Instant;
import java.util.List;
import run.creativeai.gateway.job.JobId;

/** The index of jobs the reconciler has not yet seen settled ({@link Unsettled}), by when it should look at them. */
public interface UnsettledJobs {

    /** Up to {@code limit} unsettled jobs whose attention time is at or before {@code before}. */
    List<Candidate> due(Instant before, int limit);

    /**
     * Records a recovery and when to look again, unless the job moved since {@code version} (then
     * its own next step put it back in order, and false is returned).
     */
    boolean recovered(JobId job, long version, int recoveries, Instant lookAgainFrom);

    /**
     * Takes an ended job out of the index once nothing is left to do for it, unless it moved since
     * {@code version} (then it stays, to be looked at again after that move); false then.
     */
    boolean settled(JobId job, long version);

    /**
     * @param attentionAt when the job last moved, or what the last recovery set
     * @param recoveries  recoveries since the job last moved
     */
    record Candidate(JobId id, Instant attentionAt, int recoveries) {
    }
}
