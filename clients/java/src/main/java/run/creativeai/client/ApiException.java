package run.creativeai.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * An error the API answered, one subclass per error family (the body's {@code error.type}), each
 * carrying what the body and headers said: the HTTP status, the family, the machine-readable
 * {@code code}, the message, the field at fault ({@code param}), the request id support can look up,
 * and the limits where the response described them.
 */
public abstract sealed class ApiException extends CreativeAiException permits InvalidRequestException,
        AuthenticationException, BillingException, NotFoundException, RateLimitException, QuotaExceededException,
        ServiceUnavailableException, ServerException {
    private static final long serialVersionUID = 1L;
    private final transient ApiError error;

    ApiException(ApiError error) {
        super(error.describe(), null);
        this.error = error;
    }

    public int status() {
        return error.status();
    }

    /** The family, as the body names it ({@code invalid_request_error}, {@code rate_limit_error}, ...). */
    public String type() {
        return error.type();
    }

    /** What went wrong, for code to branch on ({@code invalid_field}, {@code generation_ended}, ...). */
    public String code() {
        return error.code();
    }

    /** The API's own message, meant for a person. */
    public String errorMessage() {
        return error.message();
    }

    /** The request field or header at fault, e.g. {@code prompt}, {@code tasks[2].duration}, {@code Prefer}. */
    public Optional<String> param() {
        return error.param();
    }

    public Optional<String> requestId() {
        return error.requestId();
    }

    public Optional<RateLimit> rateLimit() {
        return error.rateLimit();
    }

    /** The whole body as answered, for fields of a family this class does not name. */
    public JsonNode body() {
        return error.body();
    }

    /** The exception of {@code error}'s family. */
    static ApiException of(ApiError error) {
        return switch (family(error)) {
            case "authentication_error" -> new AuthenticationException(error);
            case "billing_error" -> new BillingException(error);
            case "not_found_error" -> new NotFoundException(error);
            case "rate_limit_error" -> new RateLimitException(error);
            case "quota_error" -> new QuotaExceededException(error);
            case "service_unavailable_error" -> new ServiceUnavailableException(error);
            case "api_error" -> new ServerException(error);
            default -> new InvalidRequestException(error);
        };
    }

    /** The body's family, or the one its status implies when the body names none (a proxy's own error page). */
    private static String family(ApiError error) {
        if (!error.type().isEmpty()) {
            return error.type();
        }
        int status = error.status();
        if (status == 401 || status == 403) {
            return "authentication_error";
        }
        if (status == 402) {
            return "billing_error";
        }
        if (status == 404) {
            return "not_found_error";
        }
        if (status == 429) {
            return "rate_limit_error";
        }
        if (status == 503) {
            return "service_unavailable_error";
        }
        return status >= 500 ? "api_error" : "invalid_request_error";
    }
}
