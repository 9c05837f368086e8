package run.creativeai.gateway.provider;

/** Finds the client for a provider named in the model catalogue. */
@FunctionalInterface
public interface ProviderDirectory {
    ProviderClient clientFor(String provider);
}
