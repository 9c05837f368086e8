package run.creativeai.gateway.limits;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One limit: at most {@code limit} units per {@code window}, counted per API key or per tenant.
 * A {@link Kind#FIXED} window is aligned to the epoch, so every ingress instance agrees on where it
 * starts and ends (a one-day window is the UTC day); a {@link Kind#ROLLING} window counts what
 * happened in the last {@code window} before each request, so a unit frees exactly one window after
 * it was counted.
 *
 * @param id          stable name used in headers, refusal bodies and counter names, e.g. {@code plan_requests_per_minute}
 * @param unit        what is counted, and so what one request costs
 * @param enforcement how a refusal is answered: 429 for a rate limit, 403 with the quota body for the daily quota
 */
public record RateLimitRule(String id, Unit unit, long limit, Duration window, Kind kind, CountedPer per,
        Enforcement enforcement) {
    /** A rolling window keeps one timestamp per unit; past this a fixed window is the right tool. */
    public static final long MAX_ROLLING_LIMIT = 1000;
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,99}");

    /** What a rule counts: the one place that says what a request costs against it. */
    public enum Unit {
        /** Generation requests: one each. */
        REQUESTS("requests"),
        /** Status and quota reads: one each, and counted by no creation rule. */
        READS("requests"),
        /** Images: a request costs the {@code n} images it asks for. */
        IMAGES("images"),
        /** Video jobs: one each. */
        VIDEOS("videos"),
        /** Generation tasks of the daily quota: one each. */
        TASKS("tasks"),
        /** Credits a key's requests reserve, for its daily budget: a request costs what it reserves. */
        CREDITS("credits");

        private final String wireName;

        Unit(String wireName) {
            this.wireName = wireName;
        }

        /** The unit in the product's words, as headers and bodies show it. */
        public String wireName() {
            return wireName;
        }

        /** What a request for {@code images} images costs in this unit ({@link #CREDITS} are priced, not counted). */
        public long costOf(int images) {
            if (this == CREDITS) {
                throw new IllegalStateException("a request's credits come from its price, not from its images");
            }
            return this == IMAGES ? images : 1;
        }
    }

    /** Whether the window is aligned to the epoch or slides with each request. */
    public enum Kind {
        FIXED,
        ROLLING;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whose count a request is charged to. */
    public enum CountedPer {
        /** One API key (seed 003's "per API key", seed 002's "per user"). */
        KEY,
        /** The customer organisation, across all its keys (seed 002's "per organization"). */
        TENANT;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The value of a plan's {@code ..._per} field, {@code "key"} or {@code "tenant"}. */
        public static java.util.Optional<CountedPer> fromWire(String value) {
            for (CountedPer per : values()) {
                if (per.wireName().equals(value)) {
                    return java.util.Optional.of(per);
                }
            }
            return java.util.Optional.empty();
        }
    }

    /** What the client is told when the rule refuses. */
    public enum Enforcement {
        /** 429 Too Many Requests with Retry-After: waiting helps soon. */
        RATE_LIMIT,
        /** 403 Forbidden with the quota body (seed 002's daily tasks). */
        QUOTA,
        /** 402 Payment Required naming the budget: a key's own spending cap. */
        BUDGET
    }

    public RateLimitRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(per, "per");
        Objects.requireNonNull(enforcement, "enforcement");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("rule id must be lower-case letters, digits, '_', '.' or '-': " + id);
        }
        if (limit < 1) {
            throw new IllegalArgumentException(id + ": limit must be positive");
        }
        if (window.toSeconds() < 1 || !window.equals(Duration.ofSeconds(window.toSeconds()))) {
            throw new IllegalArgumentException(id + ": window must be a whole number of seconds, at least one");
        }
        if (kind == Kind.ROLLING && limit > MAX_ROLLING_LIMIT) {
            throw new IllegalArgumentException(id + ": a rolling window allows at most " + MAX_ROLLING_LIMIT + " units");
        }
    }

    public static RateLimitRule fixed(String id, Unit unit, long limit, Duration window, CountedPer per) {
        return new RateLimitRule(id, unit, limit, window, Kind.FIXED, per, Enforcement.RATE_LIMIT);
    }

    public static RateLimitRule rolling(String id, Unit unit, long limit, Duration window, CountedPer per) {
        return new RateLimitRule(id, unit, limit, window, Kind.ROLLING, per, Enforcement.RATE_LIMIT);
    }

    /** The same rule, refused as an exhausted quota (403) rather than a rate limit (429). */
    public RateLimitRule asQuota() {
        return new RateLimitRule(id, unit, limit, window, kind, per, Enforcement.QUOTA);
    }

    /** The same rule, refused as a spent budget (402) rather than a rate limit (429). */
    public RateLimitRule asBudget() {
        return new RateLimitRule(id, unit, limit, window, kind, per, Enforcement.BUDGET);
    }

    /** The index of the fixed window containing {@code at}. */
    public long windowIndex(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), window.toSeconds());
    }

    /** The instant the fixed window with this index ends and the count starts again. */
    public Instant windowEnd(long index) {
        return Instant.ofEpochSecond((index + 1) * window.toSeconds());
    }

    /** The instant the fixed window containing {@code at} ends. */
    public Instant windowEnd(Instant at) {
        return windowEnd(windowIndex(at));
    }
}
