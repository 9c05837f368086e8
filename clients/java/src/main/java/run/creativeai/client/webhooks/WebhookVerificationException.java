package run.creativeai.client.webhooks;

/** A delivery that must not be trusted: answer it with a 4xx and do not act on it. */
public final class WebhookVerificationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a delivery was refused. */
    public enum Reason {
        /** A signature or timestamp header is missing. */
        MISSING_HEADER,
        /** {@code webhook-timestamp} is not a number, or further from the clock than the tolerance (a replay). */
        TIMESTAMP_OUT_OF_TOLERANCE,
        /** No signature matches any secret held. */
        SIGNATURE_MISMATCH,
        /** Signed correctly, but not an event's JSON. */
        MALFORMED_BODY
    }

    private final Reason reason;

    WebhookVerificationException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
