package run.creativeai.gateway.job;

import java.util.Optional;

/** Where jobs live. Every write is conditional, so a lost race is an answer, not a corruption. */
public interface JobStore {

    /** Writes a new job; false if a job with that id exists already. */
    boolean create(Job job);

    Optional<Job> find(JobId id);

    /**
     * Writes {@code next} only if the stored job is still at {@code next.version() - 1}. False when
     * another writer got there first: the caller re-reads and decides again.
     */
    boolean update(Job next);

    /**
     * The job's end has been carried out ({@link Settlement}): from now on the reconciler does not
     * look at it, unless it moved since {@code job} was read (then false, and it is looked at after
     * that move). A write that settles the job by itself ({@link Settlement#settledByWrite}) needs no
     * call here.
     */
    boolean settled(Job job);
}
