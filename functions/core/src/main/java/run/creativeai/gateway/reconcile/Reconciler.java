package run.creativeai.gateway.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.billing.Settlements;
import run.creativeai.gateway.dispatch.JobQueue;
import run.creativeai.gateway.dispatch.PollSchedule;
import run.creativeai.gateway.dispatch.Resumptions;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobEndings;
import run.creativeai.gateway.job.JobStarts;
import run.creativeai.gateway.job.JobStatus;
import run.creativeai.gateway.job.JobStore;
import run.creativeai.gateway.job.ProviderAttempt;
import run.creativeai.gateway.job.Settlement;
import run.creativeai.gateway.job.WebhookEventKind;

/**
 * Finishes what a crash left undone. Each step of a job is one function's work on one message, and
 * SQS redelivers a message whose function died; what no message carries any more is only the step
 * after a write whose message was already consumed: a job stored but never queued (the ingress died),
 * a running job whose next step was never scheduled (the dispatcher died between two writes), an
 * event of a job whose webhook hears it that was never queued (its start, once a provider accepted
 * it; its end), an ended job whose tenant slot was never given back or whose credits were never
 * settled. The reconciler runs on a schedule, reads the index of unsettled
 * jobs (a job leaves it where its end is carried out, {@link run.creativeai.gateway.job.Settlement}),
 * and for each one that has not
 * moved for longer than any live step takes, sends the message that was lost; an ended job is also
 * settled (the dispatcher gives its slots back, which is idempotent) and leaves the index. Every receiver treats messages as possibly repeated, so a message sent
 * for a job that was only slow changes nothing. Each recovery backs off (doubling), so a job that
 * stays stuck is not flooded, and after {@link #MAX_RECOVERIES} it is reported for an operator.
 *
 * <p>How long a step may rest is all a run can go by while the system is up, since a job resting
 * within its allowance may have a step under way. After the whole system stopped and started
 * again, as the local cloud does, nothing that was under way before the start can still be; a run
 * told when that was ({@link #runAfterRestart}) takes every job that last moved before it for
 * stuck at once. A deployed stack never stops as a whole, so its scheduled runs never say so.
 */
public final class Reconciler {
    public static final int MAX_RECOVERIES = 10;
    /** Jobs looked at in one run; the next run takes the rest. */
    static final int BATCH = 500;
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final UnsettledJobs unsettled;
    private final JobStore jobs;
    private final JobQueue queue;
    private final Resumptions resumptions;
    private final JobEndings announcements;
    private final JobStarts starts;
    private final PollSchedule polls;
    private final Settlements settlements;
    private final Duration stuckAfter;
    private final Clock clock;

    /**
     * @param stuckAfter how long a job may rest between two steps before it counts as stuck; a
     *                   running provider attempt gets its attempt timeout on top, since it rests
     *                   that long by design
     * @param announcements what a job's end sets off, its webhook's event among it
     * @param starts        what a provider's first acceptance of a job sets off: its webhook's start event
     */
    public Reconciler(UnsettledJobs unsettled, JobStore jobs, JobQueue queue, Resumptions resumptions,
            JobEndings announcements, JobStarts starts, PollSchedule polls, Settlements settlements, Duration stuckAfter,
            Clock clock) {
        this.unsettled = unsettled;
        this.jobs = jobs;
        this.queue = queue;
        this.resumptions = resumptions;
        this.announcements = announcements;
        this.starts = starts;
        this.polls = polls;
        this.settlements = settlements;
        this.stuckAfter = stuckAfter;
        this.clock = clock;
    }

    /** What one run did. */
    public record Report(int looked, int requeued, int resumed, int announced, int settled, int givenUp) {
    }

    /** What a stuck job needs. */
    enum Recovery {
        /** Queued but never (or no longer) on its tier queue: queue it again. */
        REQUEUE,
        /**
         * Running, but no step of it is scheduled: the dispatcher takes its next step; its start is
         * announced if no attempt of it was made.
         */
        RESUME,
        /**
         * Ended, but an event its webhook hears (its end, its start) has no attempt: queue the first
         * attempt of each such event (and settle it, as below).
         */
        ANNOUNCE,
        /** Ended with nothing left but its slots, which may still be held: give them back, leave the index. */
        SETTLE
    }

    public Report run() {
        return run(clock.instant());
    }

    /**
     * One run as of {@code now}; the function passes the later of its clock and the scheduled
     * event's time, so that a local test can run the reconciler as of a later moment.
     */
    public Report run(Instant now) {
        return sweep(now, Optional.empty());
    }

    /**
     * One run as of {@code now} in a system that (re)started at {@code restartedAt}: a job that last
     * moved before then is stuck whatever rest its step allows, since that step ended with the
     * previous run of the system. A job whose next message is still queued gets a second one, which
     * changes nothing, as for any job that was only slow.
     */
    public Report runAfterRestart(Instant now, Instant restartedAt) {
        return sweep(now, Optional.of(restartedAt.isAfter(now) ? now : restartedAt));
    }

    private Report sweep(Instant now, Optional<Instant> restartedAt) {
        Instant stuckBefore = now.minus(stuckAfter);
        Instant dueBefore = restartedAt.filter(stuckBefore::isBefore).orElse(stuckBefore);
        int looked = 0;
        int settled = 0;
        int requeued = 0;
        int resumed = 0;
        int announced = 0;
        int givenUp = 0;
        for (UnsettledJobs.Candidate candidate : unsettled.due(dueBefore, BATCH)) {
            looked++;
            Optional<Job> found = jobs.find(candidate.id());
            if (found.isEmpty()) {
                continue;
            }
            Job job = found.get();
            // The index learns of a job's moves only from the reconciler (a move drops the recoveries):
            // a job that moved since its entry was last written rests since that move.
            Instant moved = Unsettled.lastMoved(job);
            boolean movedSince = moved.isAfter(candidate.attentionAt());
            Instant restingSince = movedSince ? moved : candidate.attentionAt();
            boolean interrupted = restartedAt.filter(r -> !restingSince.isAfter(r)).isPresent();
            Optional<Recovery> recovery = interrupted ? Optional.of(recoveryFor(job))
                    : recoveryFor(job, restingSince, now);
            if (recovery.isEmpty()) {
                if (movedSince) {
                    // Alive, and moving: looked at again once it has rested from its last move.
                    unsettled.lookAgain(job.id(), job.version(), moved);
                }
                continue;
            }
            if (candidate.recoveries() >= MAX_RECOVERIES) {
                LOG.error("job {} is still {} after {} recoveries; it needs an operator", job.id(),
                        job.status().wireName(), candidate.recoveries());
                unsettled.recovered(job.id(), job.version(), candidate.recoveries(), now.plus(Duration.ofDays(1)));
                givenUp++;
                continue;
            }
            if (interrupted) {
                LOG.info("job {} was {} when the system stopped: {}", job.id(), job.status().wireName(), recovery.get());
            } else if (recovery.get() != Recovery.SETTLE) {
                LOG.warn("job {} is {} and has not moved since {}: {}", job.id(), job.status().wireName(),
                        restingSince, recovery.get());
            }
            switch (recovery.get()) {
                case REQUEUE -> {
                    queue.enqueue(job);
                    requeued++;
                }
                case RESUME -> {
                    resumptions.resume(job.id());
                    announceUnattempted(job);
                    resumed++;
                }
                case ANNOUNCE -> {
                    // The slots and the credits first (Settlement): the webhook's first recorded attempt settles the job.
                    resumptions.resume(job.id());
                    settlements.settle(job);
                    announceUnattempted(job);
                    announced++;
                }
                case SETTLE -> {
                    // Ended by a dispatcher that may have died before giving the slot back: the
                    // dispatcher's resume of an ended job gives it back, however often it is asked.
                    // Its credits are settled here, before it leaves the index: that happens once,
                    // whoever did it first, and a failure leaves the job for the next run.
                    resumptions.resume(job.id());
                    settlements.settle(job);
                    jobs.settled(job);
                    settled++;
                    continue;
                }
            }
            int recoveries = candidate.recoveries() + 1;
            unsettled.recovered(job.id(), job.version(), recoveries,
                    now.plus(stuckAfter.multipliedBy((1L << Math.min(recoveries - 1, 20)) - 1)));
        }
        return new Report(looked, requeued, resumed, announced, settled, givenUp);
    }

    /**
     * Queues the first attempt of every event of the job its webhook hears that has happened and has
     * none recorded: its announcer may have died before queueing it. A job's events carry ids of their
     * own, so an announcement that was not lost after all is deduplicated by the delivery ledger.
     */
    private void announceUnattempted(Job job) {
        for (WebhookEventKind event : Settlement.unattempted(job)) {
            switch (event) {
                case START -> starts.started(job);
                case COMPLETED -> announcements.ended(job);
            }
        }
    }

    /** The recovery a job needs, if it has rested longer than its step allows. */
    Optional<Recovery> recoveryFor(Job job, Instant restingSince, Instant now) {
        Duration allowed = stuckAfter;
        Optional<ProviderAttempt> attempt = job.currentAttempt();
        if (job.status() == JobStatus.RUNNING && attempt.filter(a -> a.isOpen() && a.providerJobId().isPresent()).isPresent()) {
            // A provider is working on it, and progress checks only write when it ends.
            allowed = allowed.plus(polls.attemptTimeout(job.request().kind()));
        }
        if (restingSince.plus(allowed).isAfter(now)) {
            return Optional.empty();
        }
        return Optional.of(recoveryFor(job));
    }

    /** The recovery a stuck job needs. */
    private static Recovery recoveryFor(Job job) {
        return switch (job.status()) {
            case QUEUED -> Recovery.REQUEUE;
            case RUNNING -> Recovery.RESUME;
            case SUCCEEDED, FAILED, CANCELED, ABORTED -> Unsettled.hasStepLeft(job) ? Recovery.ANNOUNCE : Recovery.SETTLE;
        };
    }
}
