package run.creativeai.gateway.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.access.Authentication;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.plan.Plan;
import run.creativeai.gateway.plan.PlanCatalog;
import run.creativeai.gateway.tenant.ApiKeyDirectory;
import run.creativeai.gateway.tenant.ApiKeyHasher;
import run.creativeai.gateway.tenant.ApiKeyRecord;

/**
 * Checks {@code Authorization: Bearer <key>}: missing, malformed, unknown and revoked keys are all
 * rejected. Every check reads the key's record afresh ({@link ApiKeyDirectory}, a consistent read),
 * except {@link #authenticateRecent}, which may reuse a record this instance read less than
 * {@link #RECENT} ago: the creation routes use it, to spare the read on most requests, so a
 * revocation, a new plan or new terms reach them up to that much later on an instance that had read
 * the key just before; every other route, and any instance that has not read the key within that
 * time, sees the change from the next request. Credits are reserved against the stored balance
 * whatever the record says, so a reused record never lets a tenant spend what it does not have.
 */
public final class Authenticator {
    /** How long a creation may reuse a key record read by this instance. */
    public static final Duration RECENT = Duration.ofSeconds(2);
    private static final int MAX_KEY_LENGTH = 200;
    private static final int REMEMBERED_KEYS = 1_000;

    private final ApiKeyHasher hasher;
    private final ApiKeyDirectory directory;
    private final PlanCatalog plans;
    private final Clock clock;
    private final Duration reuse;
    /** Records read by this instance and when, by keyed hash; only keys that exist, so guesses fill nothing. */
    private final Map<String, Read> recent = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Read> eldest) {
            return size() > REMEMBERED_KEYS;
        }
    });

    private record Read(ApiKeyRecord record, Instant at) {
    }

    /** An authenticator that reads every key afresh, {@link #authenticateRecent} included. */
    public Authenticator(ApiKeyHasher hasher, ApiKeyDirectory directory, PlanCatalog plans) {
        this(hasher, directory, plans, Clock.systemUTC(), Duration.ZERO);
    }

    /** @param reuse how long {@link #authenticateRecent} may reuse a record read by this instance ({@link #RECENT}) */
    public Authenticator(ApiKeyHasher hasher, ApiKeyDirectory directory, PlanCatalog plans, Clock clock, Duration reuse) {
        this.hasher = hasher;
        this.directory = directory;
        this.plans = plans;
        this.clock = clock;
        this.reuse = reuse;
    }

    /** The caller, from a fresh read of its key's record. */
    public Authentication authenticate(Optional<String> authorizationHeader) {
        return authenticate(authorizationHeader, false);
    }

    /** The caller, from a record of its key this instance read less than the reuse time ago, or a fresh read. */
    public Authentication authenticateRecent(Optional<String> authorizationHeader) {
        return authenticate(authorizationHeader, true);
    }

    private Authentication authenticate(Optional<String> authorizationHeader, boolean recentWillDo) {
        if (authorizationHeader.isEmpty()) {
            return new Authentication.Rejected("missing Authorization header; send 'Authorization: Bearer <API key>'");
        }
        String header = withoutOws(authorizationHeader.get());
        if (header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Authentication.Rejected("Authorization header must use the Bearer scheme");
        }
        String key = withoutOws(header.substring(7));
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            return new Authentication.Rejected("invalid API key");
        }
        String hash = hasher.hash(key);
        Optional<ApiKeyRecord> found = recentWillDo ? recentRecord(hash) : Optional.empty();
        if (found.isEmpty()) {
            found = directory.findByHash(hash);
            if (found.isPresent() && !reuse.isZero()) {
                recent.put(hash, new Read(found.get(), clock.instant()));
            } else {
                recent.remove(hash);
            }
        }
        // The lookup is by hash; compare again in constant time so a faulty index can never match a near miss.
        if (found.isEmpty() || !MessageDigest.isEqual(found.get().keyHash().getBytes(StandardCharsets.US_ASCII),
                hash.getBytes(StandardCharsets.US_ASCII))) {
            return new Authentication.Rejected("invalid API key");
        }
        ApiKeyRecord record = found.get();
        if (record.revoked()) {
            return new Authentication.Rejected("this API key has been revoked");
        }
        // The tenant's custom limits come with the key (copied there by the administration): no second read.
        Plan plan = plans.planFor(record.plan(), record.tenantId(), record.terms()).orElseThrow(
                () -> new IllegalStateException("key " + record.keyId() + " is on unknown plan " + record.plan()));
        return new Authentication.Authenticated(new Principal(record.tenantId(), record.keyId(), plan, record.standing(),
                record.terms(), record.maxCreditsPerDay()));
    }

    private Optional<ApiKeyRecord> recentRecord(String hash) {
        Read read = recent.get(hash);
        return read != null && read.at().plus(reuse).isAfter(clock.instant()) ? Optional.of(read.record())
                : Optional.empty();
    }

    /**
     * {@code value} without leading and trailing optional white space, which RFC 9110 defines as
     * spaces and tabs only. {@link String#trim()} would also strip NUL and every other control
     * character, so a key followed by one would still authenticate.
     */
    private static String withoutOws(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && isOws(value.charAt(start))) {
            start++;
        }
        while (end > start && isOws(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(start, end);
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }
}
