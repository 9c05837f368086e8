package run.creativeai.gateway.dispatch;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.billing.Settlements;
import run.creativeai.gateway.concurrency.TenantConcurrency;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobEndings;
import run.creativeai.gateway.job.JobStatus;
import run.creativeai.gateway.job.JobStore;
import run.creativeai.gateway.job.Settlement;

/**
 * A customer's cancel of a queued or running job. The job is written {@code canceled} (conditional
 * on its version, like every change, so a dispatcher moving it at the same time either sees the
 * cancel or loses its write and settles), its tenant slot is given back at once, its customer's
 * webhook reports {@code generation.canceled}, its credits are settled (refunded in full, unless a
 * provider had accepted the work: {@link Job#charge()}), and a job that was running is handed to the
 * dispatcher to be stopped at its provider and to free its provider slot. A job whose
 * {@code Cancel-After} deadline passes ends the same way ({@link #expire}).
 *
 * <p>A queued job needs no message: its start message finds it ended and never calls a provider. If
 * the message to the dispatcher cannot be sent, nothing is lost either: the running job's next
 * scheduled progress check finds it ended and does the same, a little later.
 */
public final class JobCancellation {
    /** Writes tried against a job that keeps changing under the cancel (a dispatcher moving it on). */
    private static final int WRITES = 5;
    private static final Logger LOG = LoggerFactory.getLogger(JobCancellation.class);

    private final JobStore jobs;
    private final TenantConcurrency concurrency;
    private final JobEndings endings;
    private final CancelQueue dispatcher;
    private final Settlements settlements;
    private final Clock clock;

    public JobCancellation(JobStore jobs, TenantConcurrency concurrency, JobEndings endings, CancelQueue dispatcher,
            Settlements settlements, Clock clock) {
        this.jobs = jobs;
        this.concurrency = concurrency;
        this.endings = endings;
        this.dispatcher = dispatcher;
        this.settlements = settlements;
        this.clock = clock;
    }

    /** What a cancel did. */
    public sealed interface Result permits Canceled, AlreadyEnded {
        Job job();
    }

    /** The job is now cancelled (or aborted, when its deadline passed before it started). */
    public record Canceled(Job job) implements Result {
    }

    /** The job had already ended (succeeded, failed, cancelled or aborted) and was left as it was. */
    public record AlreadyEnded(Job job) implements Result {
    }

    /** Cancels {@code seen} (the job as the caller read it), retrying over concurrent changes. */
    public Result cancel(Job seen) {
        return end(seen, current -> current.cancel(clock.instant()));
    }

    /**
     * Ends {@code seen} at its {@code Cancel-After} deadline, which has passed: a queued job is
     * aborted (no provider ever hears of it, its credits all go back), a running one cancelled like a
     * customer's cancel ({@link Job#expire}). The same conditional write as a cancel, so a job that
     * ends on its own at the same moment either ended first (then it is left as it ended) or finds
     * itself expired when its own write fails.
     */
    public Result expire(Job seen) {
        return end(seen, current -> current.expire(clock.instant()));
    }

    private Result end(Job seen, java.util.function.UnaryOperator<Job> ending) {
        Job current = seen;
        for (int write = 0; write < WRITES; write++) {
            if (current.status().isTerminal()) {
                return new AlreadyEnded(current);
            }
            Job ended = ending.apply(current);
            if (jobs.update(ended)) {
                settle(current, ended);
                return new Canceled(ended);
            }
            current = jobs.find(seen.id()).orElseThrow(() -> new IllegalStateException("job " + seen.id() + " vanished"));
        }
        throw new IllegalStateException("job " + seen.id() + " kept changing for " + WRITES + " cancel attempts");
    }

    /** Gives the slots back (the provider slot through the dispatcher) before announcing the end ({@link Settlement}). */
    private void settle(Job before, Job canceled) {
        concurrency.release(canceled);
        if (before.status() == JobStatus.RUNNING) {
            try {
                dispatcher.canceled(canceled.id());
            } catch (RuntimeException e) {
                LOG.warn("job {} is cancelled; its provider will be told at its next progress check ({})", canceled.id(),
                        e.toString());
            }
        }
        try {
            settlements.settle(canceled);
        } catch (RuntimeException e) {
            // Announced first, its webhook's first attempt could take it out of the reconciler's index with
            // its credits still reserved: the reconciler settles it, then announces it.
            LOG.warn("job {} is cancelled; the reconciler settles its credits and announces its end ({})", canceled.id(),
                    e.toString());
            return;
        }
        try {
            endings.ended(canceled);
        } catch (RuntimeException e) {
            // The customer can ask for the event again (POST /v1/generations/{id}/webhook).
            LOG.error("job {} is cancelled but its webhook could not be scheduled", canceled.id(), e);
        }
    }
}
