package run.creativeai.gateway.provider;

/** How a provider answered a request to cancel work it accepted. */
public sealed interface CancelOutcome
        permits CancelOutcome.Canceled, CancelOutcome.AlreadyFinished, CancelOutcome.Unavailable {

    /** The provider stopped, or will stop, the request. */
    record Canceled() implements CancelOutcome {
    }

    /** Too late: the request had already finished. */
    record AlreadyFinished() implements CancelOutcome {
    }

    /** The provider could not be asked; the request may still run. */
    record Unavailable(String detail) implements CancelOutcome {
    }
}
