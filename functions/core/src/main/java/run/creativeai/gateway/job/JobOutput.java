package run.creativeai.gateway.job;

/**
 * One result of a succeeded job: the gateway's own copy ({@link StoredOutput}), or, for a job that
 * ended before the gateway copied outputs, only the provider's report of it ({@link Output}), whose
 * URL the provider has most likely deleted since.
 */
public sealed interface JobOutput permits StoredOutput, Output {
    String contentType();
}
