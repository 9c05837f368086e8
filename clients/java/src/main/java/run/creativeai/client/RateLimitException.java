package run.creativeai.client;

/** A rate limit refused the request ({@code rate_limit_error}, 429) after the retries the policy allowed, or with a {@code Retry-After} longer than it waits; {@link #rule()} names the rule and {@link #retryAfter()} says when it frees. */
public final class RateLimitException extends ApiException {
    private static final long serialVersionUID = 1L;

    RateLimitException(ApiError error) {
        super(error);
    }

    /** The rule that refused, e.g. {@code plan_requests_per_minute}. */
    public java.util.Optional<String> rule() {
        return rateLimit().flatMap(RateLimit::rule);
    }

    public java.util.Optional<java.time.Duration> retryAfter() {
        return rateLimit().flatMap(RateLimit::retryAfter);
    }
}
