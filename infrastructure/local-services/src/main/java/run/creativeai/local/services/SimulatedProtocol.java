package run.creativeai.local.services;

/** The public wire protocol a simulated provider speaks. */
public enum SimulatedProtocol {
    /** fal.ai's queue API. */
    FAL_QUEUE,
    /** Replicate's predictions API, with signed webhooks. */
    REPLICATE_PREDICTIONS
}
