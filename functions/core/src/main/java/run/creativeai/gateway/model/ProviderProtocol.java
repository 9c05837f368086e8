package run.creativeai.gateway.model;

/** The public wire protocol a provider speaks; an adapter exists for each. */
public enum ProviderProtocol {
    /** fal.ai's queue API: submit, status, result, cancel. */
    FAL_QUEUE,
    /** Replicate's predictions API: create, get, cancel, with webhooks. */
    REPLICATE_PREDICTIONS
}
