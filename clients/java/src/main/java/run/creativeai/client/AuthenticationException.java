package run.creativeai.client;

/** The API key is missing, unknown or revoked ({@code authentication_error}, 401). */
public final class AuthenticationException extends ApiException {
    private static final long serialVersionUID = 1L;

    AuthenticationException(ApiError error) {
        super(error);
    }
}
