package run.creativeai.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.config.IdSource;
import run.creativeai.gateway.idempotency.IdempotencyKey;
import run.creativeai.gateway.idempotency.IdempotencyStore;
import run.creativeai.gateway.idempotency.StoredResponse;
import run.creativeai.gateway.json.Json;

/**
 * {@code Idempotency-Key} on the creation routes, as the IETF draft "The Idempotency-Key HTTP
 * Header Field" describes it, wrapped around a route without looking inside it. A request with a
 * key the tenant used in the last 24 hours for the same request gets that request's response again
 * (same job ids, status and body) and nothing runs, so no limit is counted; for a different request
 * it gets 422, and while the first is still running 409. Only responses that changed something
 * (2xx) are kept: a refusal changed nothing, so the retry after it runs afresh. A request that died
 * before it answered holds its key for {@link #IN_PROGRESS_EXPIRY} and no longer.
 */
public final class IdempotentRequests {
    public static final String HEADER = "Idempotency-Key";
    /** How long a key remembers its request. */
    public static final Duration KEY_LIFETIME = Duration.ofHours(24);
    /**
     * How long a claimed key waits for its request's answer: longer than the ingress function's 29 s
     * timeout, so a live request is never taken over, and short, so a crashed one frees its key soon.
     */
    public static final Duration IN_PROGRESS_EXPIRY = Duration.ofSeconds(60);
    /** Set on a replayed response, as several public APIs do, so a client can tell. */
    public static final String REPLAYED = "Idempotent-Replayed";
    private static final Logger LOG = LoggerFactory.getLogger(IdempotentRequests.class);

    private final IdempotencyStore store;
    private final IdSource ids;
    private final Clock clock;

    public IdempotentRequests(IdempotencyStore store, IdSource ids, Clock clock) {
        this.store = store;
        this.ids = ids;
        this.clock = clock;
    }

    /** {@code route}, answering a request with an {@code Idempotency-Key} as this describes. */
    public Route around(Route route) {
        return new Route() {
            @Override
            public String key() {
                return route.key();
            }

            @Override
            public ApiResponse handle(ApiRequest request, Principal principal) {
                return IdempotentRequests.this.handle(request, principal, route::handle);
            }
        };
    }

    /** Answers {@code request} through {@code route}, or with the response its key already holds. */
    public ApiResponse handle(ApiRequest request, Principal principal, BiFunction<ApiRequest, Principal, ApiResponse> route) {
        Optional<String> header = request.header(HEADER.toLowerCase(Locale.ROOT));
        if (header.isEmpty()) {
            return route.apply(request, principal);
        }
        String value = unquoted(header.get().trim());
        if (!IdempotencyKey.isWellFormed(value)) {
            return ApiError.invalidField(HEADER, HEADER + " must be 1 to " + IdempotencyKey.MAX_LENGTH
                    + " visible ASCII characters, such as a UUID").toResponse();
        }
        IdempotencyKey key = new IdempotencyKey(principal.tenantId(), value);
        String fingerprint = fingerprint(request);
        Instant now = clock.instant();
        String claimId = ids.next();
        IdempotencyStore.Claim claim = store.claim(key, fingerprint, claimId, now, now.plus(IN_PROGRESS_EXPIRY),
                now.plus(KEY_LIFETIME));
        if (claim instanceof IdempotencyStore.Held held) {
            if (!held.fingerprint().equals(fingerprint)) {
                return new ApiError(422, "invalid_request_error", "idempotency_key_reused", HEADER
                        + " was used in the last 24 hours for a different request; send a new key with a new request",
                        Optional.of(HEADER)).toResponse();
            }
            return held.response().map(IdempotentRequests::replay).orElseGet(() -> new ApiError(409,
                    "invalid_request_error", "idempotency_key_in_use", "a request with this " + HEADER
                    + " is still being processed; retry in a second to get its response", Optional.of(HEADER))
                    .toResponse().withHeaders(Map.of("Retry-After", "1")));
        }
        ApiResponse response;
        try {
            response = route.apply(request, principal);
        } catch (RuntimeException e) {
            // The route failed unexpectedly; its 500 is not kept, so a retry runs again.
            releaseQuietly(key, claimId);
            throw e;
        }
        if (response.status() / 100 == 2) {
            keep(key, claimId, response, now);
        } else {
            releaseQuietly(key, claimId);
        }
        return response;
    }

    private void keep(IdempotencyKey key, String claimId, ApiResponse response, Instant now) {
        Map<String, String> headers = new LinkedHashMap<>();
        // Limit headers describe the limits at that moment; a replay counts nothing and leaves them out.
        response.headers().forEach((name, value) -> {
            if (!RateLimitResponses.isRateLimitHeader(name) && !name.equalsIgnoreCase("retry-after")) {
                headers.put(name, value);
            }
        });
        try {
            if (!store.complete(key, claimId, new StoredResponse(response.status(), headers, response.body()),
                    now.plus(KEY_LIFETIME))) {
                LOG.warn("an idempotency key of tenant {} was taken over before its request answered", key.tenant());
            }
        } catch (RuntimeException e) {
            // The work is done and answered; the key frees itself when its in-progress claim expires.
            LOG.error("the response of an idempotent request of tenant {} could not be kept", key.tenant(), e);
        }
    }

    private void releaseQuietly(IdempotencyKey key, String claimId) {
        try {
            store.release(key, claimId);
        } catch (RuntimeException e) {
            LOG.warn("an idempotency key of tenant {} could not be released; it frees itself in {}", key.tenant(),
                    IN_PROGRESS_EXPIRY, e);
        }
    }

    private static ApiResponse replay(StoredResponse stored) {
        return new ApiResponse(stored.status(), stored.headers(), stored.body()).withHeaders(Map.of(REPLAYED, "true"));
    }

    /** The draft sends the key as a structured-field string ({@code "..."}); a bare token is accepted as well. */
    private static String unquoted(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1)
                : value;
    }

    /**
     * What makes two requests the same: route, path parameters, body and the headers that change what
     * a create does ({@code Cancel-After}, by its meaning). A JSON body counts by its content, so key
     * order and white space do not make a retry a different request. Headers that change only how the
     * answer comes ({@code Prefer}) do not count.
     */
    static String fingerprint(ApiRequest request) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(request.routeKey().getBytes(StandardCharsets.UTF_8));
            new TreeMap<>(request.pathParameters()).forEach((name, value) ->
                    digest.update(("\n" + name + "=" + value).getBytes(StandardCharsets.UTF_8)));
            request.header("cancel-after").ifPresent(value ->
                    digest.update(("\ncancel-after=" + CancelAfter.canonical(value)).getBytes(StandardCharsets.UTF_8)));
            digest.update((byte) '\n');
            digest.update(canonicalBody(request.body()));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    /** A body the API reads as JSON ({@link JsonBody}) counts by its content; any other body by its bytes. */
    private static byte[] canonicalBody(byte[] body) {
        if (!(JsonBody.value(body) instanceof Parsed.Valid<JsonNode> json)) {
            return body;
        }
        return Json.canonical(json.value());
    }
}
