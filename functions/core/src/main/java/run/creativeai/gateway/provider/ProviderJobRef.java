package run.creativeai.gateway.provider;

/**
 * A request a provider accepted: enough to ask about it, fetch its result or cancel it.
 *
 * @param training whether it is a LoRA training, which some protocols keep apart from their
 *                 predictions (Replicate's {@code /v1/trainings})
 */
public record ProviderJobRef(String providerModel, String providerJobId, boolean training) {

    /** A generation's request. */
    public ProviderJobRef(String providerModel, String providerJobId) {
        this(providerModel, providerJobId, false);
    }
}
