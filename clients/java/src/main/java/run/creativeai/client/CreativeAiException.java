package run.creativeai.client;

/**
 * Everything the client throws: an answer of the API that is an error ({@link ApiException} and its
 * families), no answer at all ({@link ApiConnectionException}), or a wait that ran out of time
 * ({@link WaitTimeoutException}). Unchecked: a caller catches the families it can act on and lets the rest rise.
 */
public abstract class CreativeAiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CreativeAiException(String message, Throwable cause) {
        super(message, cause);
    }
}
