package run.creativeai.client;

/** The API failed unexpectedly ({@code api_error}, 5xx); {@link #requestId()} is what support needs. */
public final class ServerException extends ApiException {
    private static final long serialVersionUID = 1L;

    ServerException(ApiError error) {
        super(error);
    }
}
