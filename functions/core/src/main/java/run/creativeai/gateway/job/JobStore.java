package run.creativeai.gateway.job;

import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** Where jobs live. Every write is conditional, so a lost race is an answer, not a corruption. */
public interface JobStore {
    /** Writes tried by {@link #change}. */
    int CHANGE_WRITES = VersionedWrites.WRITES;

    /** Writes a new job; false if a job with that id exists already. */
    boolean create(Job job);

    Optional<Job> find(JobId id);

    /**
     * Writes {@code next} only if the stored job is still at {@code next.version() - 1}. False when
     * another writer got there first: the caller re-reads and decides again.
     */
    boolean update(Job next);

    /**
     * Writes {@code change} of the job as {@code read}; each time another writer got there first,
     * reads the job again and writes {@code change} of it, as long as {@code stillApplies} holds of
     * what it finds. The dispatcher's transitions ({@link #transition}) and the webhook bookkeeping
     * share it, so that a writer that only records a delivery attempt never makes a transition lose.
     *
     * @return the job as written; empty when the change no longer applied, or still lost after a few reads
     */
    default Optional<Job> change(Job read, UnaryOperator<Job> change, Predicate<Job> stillApplies) {
        return VersionedWrites.change(read, change, stillApplies, this::update, () -> find(read.id()));
    }

    /**
     * Writes a state transition of the job as {@code read}, applied again over changes that left its
     * state alone (webhook attempts recorded meanwhile, which the written job keeps); empty when
     * another writer moved the job first, which then carries it on.
     */
    default Optional<Job> transition(Job read, UnaryOperator<Job> transition) {
        return change(read, transition, current -> current.sameStateAs(read));
    }

    /**
     * The job's end has been carried out ({@link Settlement}): from now on the reconciler does not
     * look at it, unless it moved since {@code job} was read (then false, and it is looked at after
     * that move). A write that settles the job by itself ({@link Settlement#settledByWrite}) needs no
     * call here.
     */
    boolean settled(Job job);
}
