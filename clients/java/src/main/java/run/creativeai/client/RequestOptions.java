package run.creativeai.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What one create sends besides its body: its own {@code Idempotency-Key} (by default the client makes
 * one per call and sends it again on its own retries of that call), how long to wait for the end in the
 * create itself ({@code Prefer: wait}, images only, up to 25 s), a deadline ({@code Cancel-After}), and
 * any other request header.
 */
public record RequestOptions(Optional<String> idempotencyKey, Optional<Duration> preferWait, Map<String, String> headers) {
    public static final RequestOptions DEFAULT = new RequestOptions(Optional.empty(), Optional.empty(), Map.of());

    public RequestOptions {
        headers = Map.copyOf(headers);
    }

    /**
     * A key of the caller's, e.g. the id of the order the job is for: the same key and body within 24 h
     * get the first answer again, from any process.
     */
    public RequestOptions withIdempotencyKey(String key) {
        return new RequestOptions(Optional.of(key), preferWait, headers);
    }

    public RequestOptions withPreferWait(Duration wait) {
        return new RequestOptions(idempotencyKey, Optional.of(wait), headers);
    }

    /**
     * A deadline ({@code Cancel-After}), in whole seconds, rounded up: a job still queued when it passes
     * ends aborted and refunded, one still running is cancelled at its provider. On a batch it holds for
     * each task. The API takes at least 5 s and at most the plan's {@code max_cancel_after_seconds}
     * ({@link Quota}); anything else is an {@link InvalidRequestException} naming {@code Cancel-After}.
     */
    public RequestOptions withCancelAfter(Duration deadline) {
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("a deadline is after the create, not " + deadline);
        }
        long seconds = deadline.plusNanos(999_999_999L).getSeconds();
        return withHeader("Cancel-After", String.valueOf(seconds));
    }

    public RequestOptions withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new RequestOptions(idempotencyKey, preferWait, more);
    }
}
