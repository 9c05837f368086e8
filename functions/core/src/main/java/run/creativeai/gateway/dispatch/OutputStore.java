package run.creativeai.gateway.dispatch;

import run.creativeai.gateway.job.Output;

/**
 * The gateway's outputs bucket, as the dispatcher fills it: every output a provider produced is
 * copied in before its job succeeds, since the provider's URL dies within hours.
 */
public interface OutputStore {

    /**
     * Copies the bytes {@code source} points at into the object {@code key}, in one streaming pass
     * with bounded memory, measuring size and SHA-256 on the way. Writing the same key again replaces
     * the object, so a copy made twice leaves one object. Never throws for what the provider or the
     * bucket does: every answer is an outcome.
     */
    CopyOutcome copy(Output source, String key);
}
