package run.creativeai.gateway.provider;

/** How a provider answered a submission. */
public sealed interface SubmitOutcome
        permits SubmitOutcome.Submitted, SubmitOutcome.InputRejected, SubmitOutcome.Unavailable {

    record Submitted(String providerJobId) implements SubmitOutcome {
    }

    /** The customer's input was refused (a 4xx about the request): the job fails, no failover. */
    record InputRejected(String message) implements SubmitOutcome {
    }

    record Unavailable(Unavailability reason, String detail) implements SubmitOutcome {
    }
}
