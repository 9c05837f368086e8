package run.creativeai.client;

/** The request was refused as it stands ({@code invalid_request_error}): a 400 naming the field, a 409 (a generation that already ended, an {@code Idempotency-Key} still in use), a 413 or a 422 (a key reused for another request). Sending it again unchanged gets the same answer. */
public final class InvalidRequestException extends ApiException {
    private static final long serialVersionUID = 1L;

    InvalidRequestException(ApiError error) {
        super(error);
    }
}
