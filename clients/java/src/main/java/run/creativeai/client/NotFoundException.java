package run.creativeai.client;

/** No such generation or upload for this key's tenant ({@code not_found_error}, 404): another tenant's looks the same as none. */
public final class NotFoundException extends ApiException {
    private static final long serialVersionUID = 1L;

    NotFoundException(ApiError error) {
        super(error);
    }
}
