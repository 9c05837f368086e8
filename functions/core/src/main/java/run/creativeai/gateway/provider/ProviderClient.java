package run.creativeai.gateway.provider;

/**
 * One provider endpoint, behind its wire protocol. Implementations never throw for what the
 * provider says or fails to say: every answer, including silence, is an outcome.
 */
public interface ProviderClient {
    SubmitOutcome submit(ProviderRequest request);

    ProgressOutcome progress(ProviderJobRef ref);

    /** Asks the provider to stop a request it accepted, where its protocol allows. */
    CancelOutcome cancel(ProviderJobRef ref);
}
