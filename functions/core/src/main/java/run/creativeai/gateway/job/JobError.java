package run.creativeai.gateway.job;

/**
 * Why a job failed, in words safe to show the customer.
 *
 * @param code a stable machine-readable code, e.g. {@code provider_rejected_input}, {@code upstream_timeout}
 */
public record JobError(String code, String message) {
}
