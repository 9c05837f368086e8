package run.creativeai.client;

/** The service refused new work for now ({@code service_unavailable_error}, 503: its queue is full), after the retries the policy allowed; {@link #retryAfter()} says when to come back. */
public final class ServiceUnavailableException extends ApiException {
    private static final long serialVersionUID = 1L;

    ServiceUnavailableException(ApiError error) {
        super(error);
    }

    /** When the answer said to come back, if it did. */
    public java.util.Optional<java.time.Duration> retryAfter() {
        return rateLimit().flatMap(RateLimit::retryAfter);
    }
}
