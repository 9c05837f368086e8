package run.creativeai.gateway.job;

import java.time.Instant;
import java.util.Optional;

/**
 * One call of one link of the failover chain.
 *
 * @param number        1-based, across the whole job
 * @param round         1 for the first walk down the chain, 2 for the one automatic retry after the
 *                      whole chain timed out
 * @param model         the model of the link tried
 * @param provider      the provider that serves that link
 * @param providerJobId the provider's id for the request, once it accepted it
 */
public record ProviderAttempt(
        int number,
        int round,
        String model,
        String provider,
        Instant startedAt,
        Optional<String> providerJobId,
        AttemptOutcome outcome,
        Optional<Instant> endedAt,
        Optional<String> detail) {

    public ProviderAttempt {
        if (number < 1 || round < 1) {
            throw new IllegalArgumentException("attempt numbers and rounds start at 1");
        }
    }

    public static ProviderAttempt begin(int number, int round, String model, String provider, Instant at) {
        return new ProviderAttempt(number, round, model, provider, at, Optional.empty(), AttemptOutcome.RUNNING,
                Optional.empty(), Optional.empty());
    }

    /** A link passed over without calling its provider, and why. */
    public static ProviderAttempt skipped(int number, int round, String model, String provider, Instant at,
            String why) {
        return new ProviderAttempt(number, round, model, provider, at, Optional.empty(), AttemptOutcome.SKIPPED,
                Optional.of(at), Optional.of(why));
    }

    public ProviderAttempt submitted(String id) {
        return new ProviderAttempt(number, round, model, provider, startedAt, Optional.of(id), outcome, endedAt, detail);
    }

    public ProviderAttempt end(AttemptOutcome how, Instant at, Optional<String> why) {
        return new ProviderAttempt(number, round, model, provider, startedAt, providerJobId, how, Optional.of(at), why);
    }

    public boolean isOpen() {
        return outcome == AttemptOutcome.RUNNING;
    }
}
