package run.creativeai.gateway.api;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code wait} preference of an RFC 7240 {@code Prefer} header ({@code Prefer: wait=10}): how
 * many seconds the customer is willing to wait for the job to end before being answered. Other
 * preferences in the header are ignored, as the RFC asks; a {@code wait} that is not a whole number
 * of seconds from 0 to {@link #MAX_SECONDS} is refused, naming the header.
 */
public final class WaitPreference {
    /** The longest wait: the HTTP API gives an integration 30 s, and the answer needs some of it. */
    public static final int MAX_SECONDS = 25;
    public static final String HEADER = "Prefer";

    private WaitPreference() {
    }

    /** Empty when there is no {@code wait} preference (or it is 0). */
    public static Parsed<Optional<Duration>> parse(Optional<String> header) {
        if (header.isEmpty()) {
            return new Parsed.Valid<>(Optional.empty());
        }
        Optional<String> value = Optional.empty();
        for (String preference : header.get().split(",")) {
            String token = preference.split(";", 2)[0].trim();
            int equals = token.indexOf('=');
            String name = (equals < 0 ? token : token.substring(0, equals)).trim().toLowerCase(Locale.ROOT);
            if (!name.equals("wait")) {
                continue;
            }
            if (value.isPresent()) {
                return invalid("Prefer names wait more than once");
            }
            String raw = equals < 0 ? "" : token.substring(equals + 1).trim();
            if (raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"")) {
                raw = raw.substring(1, raw.length() - 1);
            }
            value = Optional.of(raw);
        }
        if (value.isEmpty()) {
            return new Parsed.Valid<>(Optional.empty());
        }
        String seconds = value.get();
        if (!seconds.matches("[0-9]{1,3}") || Integer.parseInt(seconds) > MAX_SECONDS) {
            return invalid("Prefer: wait must be a whole number of seconds from 0 to " + MAX_SECONDS + ", not '"
                    + (seconds.length() > 16 ? seconds.substring(0, 16) + "..." : seconds) + "'");
        }
        int wait = Integer.parseInt(seconds);
        return new Parsed.Valid<>(wait == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(wait)));
    }

    private static Parsed<Optional<Duration>> invalid(String message) {
        return new Parsed.Invalid<>(new ApiError(400, "invalid_request_error", "invalid_header", message,
                Optional.of(HEADER)));
    }
}
