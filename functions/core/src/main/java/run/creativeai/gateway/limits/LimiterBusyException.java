package run.creativeai.gateway.limits;

/**
 * The limiter could not reach a decision: its counters kept changing under it for longer than it
 * retries. Nothing was counted; the client is told to try again in a second (503), never admitted.
 */
public final class LimiterBusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LimiterBusyException(String message) {
        super(message);
    }
}
