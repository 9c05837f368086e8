package run.creativeai.client;

/**
 * No answer came: the connection failed or timed out on every attempt the retry policy allowed, or the
 * thread was interrupted while waiting to retry. A create may still have been admitted; sending it
 * again with the same {@code Idempotency-Key} ({@link #idempotencyKey()}) cannot make a second job.
 */
public final class ApiConnectionException extends CreativeAiException {
    private static final long serialVersionUID = 1L;
    private final String idempotencyKey;

    ApiConnectionException(String message, Throwable cause, String idempotencyKey) {
        super(message, cause);
        this.idempotencyKey = idempotencyKey;
    }

    /** The key the request was sent with, when it was a create. */
    public java.util.Optional<String> idempotencyKey() {
        return java.util.Optional.ofNullable(idempotencyKey);
    }
}
