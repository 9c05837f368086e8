package run.creativeai.client;

/** The daily quota is used up ({@code quota_error}, 403); {@link #body()} is the quota as {@code GET /v1/quota} shows it, and {@link #resetsAt()} when it resets. */
public final class QuotaExceededException extends ApiException {
    private static final long serialVersionUID = 1L;

    QuotaExceededException(ApiError error) {
        super(error);
    }

    public java.util.Optional<java.time.Instant> resetsAt() {
        return Json.instant(body(), "resets_at");
    }
}
