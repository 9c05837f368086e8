package run.creativeai.gateway.provider;

import java.util.List;
import run.creativeai.gateway.job.Output;

/** What a provider says about a request it accepted. */
public sealed interface ProgressOutcome permits ProgressOutcome.InProgress, ProgressOutcome.Completed,
        ProgressOutcome.InputRejected, ProgressOutcome.Failed, ProgressOutcome.Unknown {

    record InProgress() implements ProgressOutcome {
    }

    record Completed(List<Output> outputs) implements ProgressOutcome {
        public Completed {
            outputs = List.copyOf(outputs);
        }
    }

    /** The provider ran the request and failed it because of the customer's input: no failover. */
    record InputRejected(String message) implements ProgressOutcome {
    }

    /** The provider failed the request on its side: the next link gets it. */
    record Failed(Unavailability reason, String detail) implements ProgressOutcome {
    }

    /** The provider could not be asked this time; the request may well still be running. */
    record Unknown(String detail) implements ProgressOutcome {
    }
}
