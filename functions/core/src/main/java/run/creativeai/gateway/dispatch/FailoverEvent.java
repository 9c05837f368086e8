package run.creativeai.gateway.dispatch;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import run.creativeai.gateway.job.SkippedLink;
import run.creativeai.gateway.job.StoredOutput;
import run.creativeai.gateway.provider.ProgressOutcome;
import run.creativeai.gateway.provider.SubmitOutcome;

/** What happened to a job, as {@link FailoverPolicy} is told it. */
public sealed interface FailoverEvent permits FailoverEvent.LinkWanted, FailoverEvent.NoRoom,
        FailoverEvent.SubmitAnswered, FailoverEvent.Looked, FailoverEvent.SubmissionLost, FailoverEvent.Copied,
        FailoverEvent.CopyFailed {

    /**
     * The job needs its next link in round {@code round}: it starts, resumes between links, or its
     * last attempt ended. {@code passedOver} are the links of this pass found without room so far.
     */
    record LinkWanted(int round, List<SkippedLink> passedOver) implements FailoverEvent {
        public LinkWanted {
            passedOver = List.copyOf(passedOver);
        }

        /** The first look for a link in {@code round}. */
        public static LinkWanted in(int round) {
            return new LinkWanted(round, List.of());
        }
    }

    /** The link {@code tried} named has no slot for the job's tier; {@code why} says which limit. */
    record NoRoom(Step.Submit tried, String why) implements FailoverEvent {
    }

    /** The provider answered the submission of the job's open attempt. */
    record SubmitAnswered(SubmitOutcome outcome) implements FailoverEvent {
        public SubmitAnswered {
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    /** A look at the job's open attempt, made at {@code at}, found {@code outcome}. */
    record Looked(ProgressCheck check, ProgressOutcome outcome, Instant at) implements FailoverEvent {
    }

    /** The open attempt was handed to its provider, but nothing recorded the provider's id (a worker died). */
    record SubmissionLost() implements FailoverEvent {
    }

    /** Every output of the open attempt, which its provider finished at {@code providerDoneAt}, is stored. */
    record Copied(List<StoredOutput> stored, Instant providerDoneAt) implements FailoverEvent {
        public Copied {
            stored = List.copyOf(stored);
        }
    }

    /**
     * Output {@code output} (0-based) of the open attempt could not be copied, as {@code outcome}
     * says; {@code check} is the look that found the provider finished.
     */
    record CopyFailed(ProgressCheck check, int output, CopyOutcome outcome) implements FailoverEvent {
        public CopyFailed {
            if (outcome instanceof CopyOutcome.Copied) {
                throw new IllegalArgumentException("a copied output is no failure");
            }
        }
    }
}
