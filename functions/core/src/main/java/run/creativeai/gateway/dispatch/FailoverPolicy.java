package run.creativeai.gateway.dispatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import run.creativeai.gateway.job.AttemptOutcome;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobError;
import run.creativeai.gateway.job.ProviderAttempt;
import run.creativeai.gateway.job.SkippedLink;
import run.creativeai.gateway.model.FailoverChain;
import run.creativeai.gateway.model.Model;
import run.creativeai.gateway.provider.ProgressOutcome;
import run.creativeai.gateway.provider.SubmitOutcome;
import run.creativeai.gateway.provider.Unavailability;

/**
 * The failover rules, and nothing else: given a job, its chain and what just happened, the next
 * {@link Step}. No I/O and no clock of its own, so every rule is a plain function of values.
 *
 * <ul>
 * <li>A link whose model cannot do the job's operation is not part of the walk: it is never
 * called, never waited for, and recorded nowhere.</li>
 * <li>A provider that cannot serve (429/503, any other 5xx, a timeout, a garbage answer, no
 * connection, an open circuit) hands the job to the next link; a provider that refuses the
 * customer's own input fails the job, with no failover.</li>
 * <li>A link with no slot for the job's tier is passed over without calling it; when no remaining
 * link has room the job goes back to wait, and later resumes after the last link it tried.</li>
 * <li>When every link of a round that was called timed out, the chain is walked once more from its
 * first link; a second such round fails the job with {@code upstream_timeout} (504 semantics).</li>
 * <li>An attempt without a result past its kind's timeout is stopped and counts as timed out.</li>
 * <li>A finished attempt's outputs are copied into the gateway's bucket before the job succeeds. An
 * output the provider no longer serves ({@code provider_output_expired}) or that may not be fetched
 * ({@code provider_output_refused}) fails the attempt over to the next link. Any other failure is
 * tried again by the scheduled checks, with a back-off, {@link PollSchedule#COPY_TRIES} times; then
 * a provider that could not be read fails over ({@code provider_output_unreadable}), and a bucket
 * that could not be written fails the job ({@code output_storage_failed}), since another provider
 * would meet the same bucket.</li>
 * </ul>
 */
public final class FailoverPolicy {
    /** A chain that timed out as a whole is walked once more; after the second time the job fails. */
    public static final int ROUNDS = 2;

    private final PollSchedule schedule;

    public FailoverPolicy(PollSchedule schedule) {
        this.schedule = schedule;
    }

    public Step next(Job job, FailoverChain chain, FailoverEvent event) {
        if (event instanceof FailoverEvent.LinkWanted wanted) {
            return nextLink(job, chain, wanted);
        }
        if (event instanceof FailoverEvent.NoRoom noRoom) {
            return skip(noRoom.tried(), noRoom.why());
        }
        if (event instanceof FailoverEvent.SubmitAnswered answered) {
            return afterSubmission(job, answered.outcome());
        }
        if (event instanceof FailoverEvent.Looked looked) {
            return afterLook(job, looked);
        }
        if (event instanceof FailoverEvent.Copied copied) {
            return new Step.Succeed(copied.stored(), copied.providerDoneAt());
        }
        if (event instanceof FailoverEvent.CopyFailed failed) {
            return afterCopyFailure(failed);
        }
        return new Step.FailOver(AttemptOutcome.TIMED_OUT, "timeout: the submission was never recorded");
    }

    /** The links of {@code chain} the job may walk: those whose model can do its operation, in order. */
    public List<Model> links(Job job, FailoverChain chain) {
        return chain.capableOf(job.request().operation()).map(FailoverChain::links).orElse(List.of());
    }

    /** The link after the last one considered in this round (passed over, or recorded), else the first. */
    private Step nextLink(Job job, FailoverChain whole, FailoverEvent.LinkWanted wanted) {
        Optional<FailoverChain> capable = whole.capableOf(job.request().operation());
        if (capable.isEmpty()) {
            return new Step.Fail(new JobError("operation_unavailable", "no model of the " + job.model()
                    + " failover chain can do " + job.request().operation().wireName() + " any more"));
        }
        FailoverChain chain = capable.get();
        int round = wanted.round();
        List<SkippedLink> passedOver = wanted.passedOver();
        Optional<String> lastConsidered = passedOver.isEmpty()
                ? job.currentAttempt().filter(a -> a.round() == round).map(ProviderAttempt::model)
                : Optional.of(passedOver.get(passedOver.size() - 1).model());
        Optional<Model> next = lastConsidered.isEmpty() ? Optional.of(chain.first()) : chain.after(lastConsidered.get());
        if (next.isPresent()) {
            return new Step.Submit(next.get(), round, passedOver);
        }
        if (!passedOver.isEmpty()) {
            Set<String> full = new LinkedHashSet<>();
            passedOver.forEach(link -> full.add(link.provider()));
            return new Step.WaitForRoom(full);
        }
        if (timedOut(job, round)) {
            if (round < ROUNDS) {
                return new Step.RetryRound(round + 1);
            }
            return new Step.Fail(new JobError("upstream_timeout", "every provider of the " + job.model()
                    + " failover chain timed out, twice (504 Gateway Timeout); submit the job again later"));
        }
        return new Step.Fail(new JobError("providers_unavailable",
                "no provider of the " + job.model() + " failover chain could serve the job"));
    }

    /** A link without room is passed over like a provider that answered 429, without calling it. */
    private static Step skip(Step.Submit tried, String why) {
        SkippedLink skipped = new SkippedLink(tried.link().id(), tried.link().provider(), why);
        List<SkippedLink> passedOver = new ArrayList<>(tried.passedOver());
        passedOver.add(skipped);
        return new Step.Skip(skipped, new FailoverEvent.LinkWanted(tried.round(), passedOver));
    }

    private Step afterSubmission(Job job, SubmitOutcome outcome) {
        if (outcome instanceof SubmitOutcome.Submitted submitted) {
            int attempt = job.currentAttempt().orElseThrow().number();
            return new Step.AwaitResult(submitted.providerJobId(), new ProgressCheck(job.id(), attempt, 1),
                    schedule.delayBefore(job.request().kind(), 1));
        }
        if (outcome instanceof SubmitOutcome.InputRejected rejected) {
            return new Step.Fail(new JobError("provider_rejected_input", rejected.message()));
        }
        SubmitOutcome.Unavailable unavailable = (SubmitOutcome.Unavailable) outcome;
        AttemptOutcome ended = switch (unavailable.reason()) {
            case TIMEOUT -> AttemptOutcome.TIMED_OUT;
            // Never sent: the circuit stopped the call before it reached the provider.
            case CIRCUIT_OPEN -> AttemptOutcome.SKIPPED;
            default -> AttemptOutcome.UNAVAILABLE;
        };
        return new Step.FailOver(ended, reason(unavailable.reason()) + ": " + unavailable.detail());
    }

    private Step afterLook(Job job, FailoverEvent.Looked looked) {
        ProgressOutcome outcome = looked.outcome();
        if (outcome instanceof ProgressOutcome.Completed completed) {
            return new Step.CopyOutputs(completed.outputs(), looked.check(), looked.at());
        }
        if (outcome instanceof ProgressOutcome.InputRejected rejected) {
            return new Step.Fail(new JobError("provider_rejected_input", rejected.message()));
        }
        if (outcome instanceof ProgressOutcome.Failed failed) {
            // CIRCUIT_OPEN here: the provider stopped answering mid-job and its shared circuit opened.
            AttemptOutcome ended = failed.reason() == Unavailability.TIMEOUT ? AttemptOutcome.TIMED_OUT
                    : AttemptOutcome.UNAVAILABLE;
            return new Step.FailOver(ended, reason(failed.reason()) + ": " + failed.detail());
        }
        ProgressCheck check = looked.check();
        if (check.isAnnounced()) {
            // An announced check that finds the work unfinished leaves the scheduled checks to carry on.
            return new Step.LeaveRunning();
        }
        ProviderAttempt attempt = job.currentAttempt().orElseThrow();
        Duration running = Duration.between(attempt.startedAt(), looked.at());
        if (running.compareTo(schedule.attemptTimeout(job.request().kind())) >= 0) {
            return new Step.Abandon("timeout: no result after " + running.toSeconds() + " s");
        }
        int next = check.check() + 1;
        return new Step.CheckAgain(new ProgressCheck(job.id(), check.attempt(), next),
                schedule.delayBefore(job.request().kind(), next));
    }

    private Step afterCopyFailure(FailoverEvent.CopyFailed failed) {
        String which = "output " + (failed.output() + 1) + " of the provider's result";
        CopyOutcome outcome = failed.outcome();
        if (outcome instanceof CopyOutcome.Gone gone) {
            return new Step.FailOver(AttemptOutcome.UNAVAILABLE, "provider_output_expired: " + which
                    + " is no longer served by the provider (" + gone.detail() + ")");
        }
        if (outcome instanceof CopyOutcome.Refused refused) {
            return new Step.FailOver(AttemptOutcome.UNAVAILABLE, "provider_output_refused: " + which + " "
                    + refused.detail());
        }
        CopyOutcome.Failed transientFailure = (CopyOutcome.Failed) outcome;
        ProgressCheck check = failed.check();
        if (check.isAnnounced()) {
            // The scheduled checks carry on, and the next one copies again (and counts the failures).
            return new Step.LeaveRunning();
        }
        ProgressCheck next = check.afterCopyFailure();
        Optional<Duration> delay = schedule.copyRetryDelay(next.copyFailures());
        if (delay.isPresent()) {
            return new Step.RetryCopy(next, delay.get());
        }
        String tries = " (" + PollSchedule.COPY_TRIES + " tries, the last: " + transientFailure.detail() + ")";
        if (transientFailure.side() == CopyOutcome.Side.SOURCE) {
            return new Step.FailOver(AttemptOutcome.UNAVAILABLE, "provider_output_unreadable: " + which
                    + " could not be read from the provider" + tries);
        }
        return new Step.Fail(new JobError("output_storage_failed", "the generation finished, but "
                + which + " could not be stored" + tries + "; submit the job again"));
    }

    /** A round timed out when every link it called timed out (links passed over without a call do not count). */
    static boolean timedOut(Job job, int round) {
        List<ProviderAttempt> attempts = job.attempts().stream().filter(a -> a.round() == round).toList();
        return attempts.stream().anyMatch(a -> a.outcome() == AttemptOutcome.TIMED_OUT)
                && attempts.stream().allMatch(a -> a.outcome() == AttemptOutcome.TIMED_OUT
                        || a.outcome() == AttemptOutcome.SKIPPED);
    }

    private static String reason(Unavailability reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }
}
