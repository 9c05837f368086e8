package run.creativeai.gateway.provider;

/** A request a provider accepted: enough to ask about it, fetch its result or cancel it. */
public record ProviderJobRef(String providerModel, String providerJobId) {
}
