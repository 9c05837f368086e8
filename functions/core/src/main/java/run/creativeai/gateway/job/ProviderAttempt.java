package run.creativeai.gateway.job;

import java.time.Instant;
import java.util.Optional;

/**
 * One call of one link of the failover chain.
 *
 * @param number        1-based, across the whole job
 * @param model         the model of the link tried
 * @param provider      the provider that serves that link
 * @param providerJobId the provider's id for the request, once it accepted it
 */
public record ProviderAttempt(
        int number,
        String model,
        String provider,
        Instant startedAt,
        Optional<String> providerJobId,
        AttemptOutcome outcome,
        Optional<Instant> endedAt,
        Optional<String> detail) {

    public static ProviderAttempt begin(int number, String model, String provider, Instant at) {
        return new ProviderAttempt(number, model, provider, at, Optional.empty(), AttemptOutcome.RUNNING,
                Optional.empty(), Optional.empty());
    }

    public ProviderAttempt submitted(String id) {
        return new ProviderAttempt(number, model, provider, startedAt, Optional.of(id), outcome, endedAt, detail);
    }

    public ProviderAttempt end(AttemptOutcome how, Instant at, Optional<String> why) {
        return new ProviderAttempt(number, model, provider, startedAt, providerJobId, how, Optional.of(at), why);
    }

    public boolean isOpen() {
        return outcome == AttemptOutcome.RUNNING;
    }
}
