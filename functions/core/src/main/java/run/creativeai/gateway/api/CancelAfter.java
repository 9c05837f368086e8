package run.creativeai.gateway.api;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.plan.Limit;

/**
 * The {@code Cancel-After} header of a create, in Replicate's format: a duration measured from
 * admission, whole numbers with the units {@code h}, {@code m} and {@code s} in that order, each at
 * most once ({@code 30s}, {@code 5m}, {@code 2h30m}, {@code 1h30m45s}), a bare number being seconds
 * ({@code 30} is {@code 30s}). At least {@value #MIN_SECONDS} s, as on Replicate, and at most what the
 * caller's plan allows; anything else is refused, naming the header.
 */
public final class CancelAfter {
    public static final String HEADER = "Cancel-After";
    /** Replicate's shortest deadline: less cannot be told apart from the time a job takes to reach a provider. */
    public static final long MIN_SECONDS = 5;
    private static final Pattern UNITS = Pattern.compile("(?:([0-9]{1,9})h)?(?:([0-9]{1,9})m)?(?:([0-9]{1,9})s)?");
    private static final Pattern SECONDS = Pattern.compile("[0-9]{1,12}");

    private CancelAfter() {
    }

    /** A create's {@code Cancel-After}, within the longest deadline its key's plan allows; empty without one. */
    public static Parsed<Optional<Duration>> of(ApiRequest request, Principal principal) {
        return parse(request.header("cancel-after"), principal.plan().limits().maxCancelAfterSeconds());
    }

    /** Empty when the request has no {@code Cancel-After} header. */
    public static Parsed<Optional<Duration>> parse(Optional<String> header, Limit maxSeconds) {
        if (header.isEmpty()) {
            return Parsed.valid(Optional.empty());
        }
        String raw = header.get().trim();
        Optional<Long> seconds = seconds(raw);
        if (seconds.isEmpty()) {
            return invalid(HEADER + " must be a duration such as 30s, 5m or 1h30m (a bare number is seconds), not '"
                    + (raw.length() > 16 ? raw.substring(0, 16) + "..." : raw) + "'");
        }
        if (seconds.get() < MIN_SECONDS) {
            return invalid(HEADER + " must be at least " + MIN_SECONDS + "s, not " + raw);
        }
        if (maxSeconds.isLimited() && seconds.get() > maxSeconds.max()) {
            return invalid(HEADER + " may be at most " + maxSeconds.max() + "s on this plan, not " + raw);
        }
        return Parsed.valid(Optional.of(Duration.ofSeconds(seconds.get())));
    }

    /** The header's value by what it means ({@code 90}, {@code 90s} and {@code 1m30s} are one value). */
    static String canonical(String header) {
        String raw = header.trim();
        return seconds(raw).map(String::valueOf).orElse(raw);
    }

    private static Optional<Long> seconds(String raw) {
        if (SECONDS.matcher(raw).matches()) {
            return Optional.of(Long.parseLong(raw));
        }
        Matcher units = UNITS.matcher(raw);
        if (raw.isEmpty() || !units.matches()) {
            return Optional.empty();
        }
        return Optional.of(part(units, 1) * 3600 + part(units, 2) * 60 + part(units, 3));
    }

    private static long part(Matcher units, int group) {
        return units.group(group) == null ? 0 : Long.parseLong(units.group(group));
    }

    private static Parsed<Optional<Duration>> invalid(String message) {
        return new Parsed.Invalid<>(new ApiError(400, "invalid_request_error", "invalid_header", message,
                Optional.of(HEADER)));
    }
}
