package run.creativeai.gateway.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import run.creativeai.gateway.job.AttemptOutcome;
import run.creativeai.gateway.job.JobError;
import run.creativeai.gateway.job.Output;
import run.creativeai.gateway.job.SkippedLink;
import run.creativeai.gateway.job.StoredOutput;
import run.creativeai.gateway.model.Model;

/**
 * What {@link FailoverPolicy} decides a job does next, as a value; {@link StepExecutor} applies it
 * with at most one conditional write of the job.
 */
public sealed interface Step permits Step.Submit, Step.Skip, Step.WaitForRoom, Step.RetryRound, Step.AwaitResult,
        Step.CheckAgain, Step.LeaveRunning, Step.FailOver, Step.Abandon, Step.CopyOutputs, Step.RetryCopy,
        Step.Succeed, Step.Fail {

    /**
     * Begin an attempt on {@code link} and send it to its provider, once the attempt holds a slot there.
     * The links passed over on the way are recorded in the same write.
     */
    record Submit(Model link, int round, List<SkippedLink> passedOver) implements Step {
        public Submit {
            Objects.requireNonNull(link, "link");
            passedOver = List.copyOf(passedOver);
        }
    }

    /**
     * Pass {@code link} over without calling its provider, and look for a link {@code then}; the
     * link is recorded only if a later link takes the job.
     */
    record Skip(SkippedLink link, FailoverEvent.LinkWanted then) implements Step {
    }

    /**
     * Every remaining link is full for the job's tier: the job goes back to its queue and asks again
     * after a delay, registered as waiting at these providers, recording nothing.
     */
    record WaitForRoom(Set<String> providers) implements Step {
        public WaitForRoom {
            providers = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(providers));
        }
    }

    /** Every link of the round timed out: walk the chain again from its first link, in round {@code round}. */
    record RetryRound(int round) implements Step {
    }

    /** The provider accepted the open attempt: record its id and look at it after {@code delay}. */
    record AwaitResult(String providerJobId, ProgressCheck firstCheck, Duration delay) implements Step {
    }

    /** The attempt is still running: look again after {@code delay}. */
    record CheckAgain(ProgressCheck check, Duration delay) implements Step {
    }

    /** Nothing to do: an announced look found the work unfinished, and the scheduled looks carry on. */
    record LeaveRunning() implements Step {
    }

    /** The open attempt ended without a result: record how, free its slot, and take the next link. */
    record FailOver(AttemptOutcome outcome, String why) implements Step {
    }

    /** The open attempt ran past its timeout: stop it at its provider, then fail over as timed out. */
    record Abandon(String why) implements Step {
    }

    /**
     * The open attempt's provider finished at {@code providerDoneAt} with these outputs: its provider
     * slot is given back (the provider is done; the copy is the gateway's work) and the outputs are
     * copied into the bucket, without a job write; {@code check} is the look that found them.
     */
    record CopyOutputs(List<Output> outputs, ProgressCheck check, Instant providerDoneAt) implements Step {
        public CopyOutputs {
            outputs = List.copyOf(outputs);
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(providerDoneAt, "providerDoneAt");
        }
    }

    /** A copy failed in a way another try may mend: look at the attempt again with {@code check} after {@code delay}. */
    record RetryCopy(ProgressCheck check, Duration delay) implements Step {
    }

    /** The open attempt's outputs are stored: the job succeeds with them, the attempt having ended at {@code providerDoneAt}. */
    record Succeed(List<StoredOutput> outputs, Instant providerDoneAt) implements Step {
        public Succeed {
            outputs = List.copyOf(outputs);
            Objects.requireNonNull(providerDoneAt, "providerDoneAt");
        }
    }

    /** The job fails, with this error for its customer. */
    record Fail(JobError error) implements Step {
    }
}
