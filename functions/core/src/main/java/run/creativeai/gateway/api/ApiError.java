package run.creativeai.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.json.Json;

/**
 * An error answer in the one shape every route uses:
 * {@code {"error":{"type","code","message","param"}}}; {@code param} names the offending field.
 */
public record ApiError(int status, String type, String code, String message, Optional<String> param) {

    public static ApiError invalidField(String param, String message) {
        return new ApiError(400, "invalid_request_error", "invalid_field", message, Optional.of(param));
    }

    public static ApiError invalidRequest(String code, String message) {
        return new ApiError(400, "invalid_request_error", code, message, Optional.empty());
    }

    public static ApiError unauthorized(String message) {
        return new ApiError(401, "authentication_error", "invalid_api_key", message, Optional.empty());
    }

    /** The tenant's subscription has expired (its standing); running out of credits has its own code, insufficient_credits. */
    public static ApiError paymentRequired() {
        return new ApiError(402, "billing_error", "payment_required",
                "your subscription has expired; renew it in the dashboard to submit new work", Optional.empty());
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, "not_found_error", "not_found", message, Optional.empty());
    }

    /** The 404 for an id the caller has no {@code what} by: the id echoed, cut at 64 characters. */
    public static ApiError noSuch(String what, String id) {
        return notFound("no " + what + " with id " + (id.length() <= 64 ? id : id.substring(0, 64) + "..."));
    }

    public static ApiError tooLarge(int limitBytes) {
        return new ApiError(413, "invalid_request_error", "body_too_large",
                "request body exceeds " + limitBytes + " bytes", Optional.empty());
    }

    public static ApiError notImplemented(String what) {
        return new ApiError(501, "api_error", "not_implemented", what + " is not available yet", Optional.empty());
    }

    public static ApiError serviceUnavailable(String message) {
        return new ApiError(503, "service_unavailable_error", "service_unavailable", message, Optional.empty());
    }

    /** For the unexpected: the request id lets support find the log; nothing internal is shown. */
    public static ApiError internal(String requestId) {
        return new ApiError(500, "api_error", "internal_error",
                "the request could not be completed; quote request id " + requestId + " to support", Optional.empty());
    }

    public ObjectNode body() {
        ObjectNode root = Json.object();
        ObjectNode error = root.putObject("error")
                .put("type", type)
                .put("code", code)
                .put("message", message);
        param.ifPresentOrElse(p -> error.put("param", p), () -> error.putNull("param"));
        return root;
    }

    public ApiResponse toResponse() {
        return new ApiResponse(status, Map.of("Content-Type", "application/json"), Json.write(body()));
    }
}
