package run.creativeai.gateway.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import run.creativeai.gateway.access.Authentication;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.plan.Plan;
import run.creativeai.gateway.plan.PlanCatalog;
import run.creativeai.gateway.tenant.ApiKeyDirectory;
import run.creativeai.gateway.tenant.ApiKeyHasher;
import run.creativeai.gateway.tenant.ApiKeyRecord;

/** Checks {@code Authorization: Bearer <key>}: missing, malformed, unknown and revoked keys are all rejected. */
public final class Authenticator {
    private static final int MAX_KEY_LENGTH = 200;

    private final ApiKeyHasher hasher;
    private final ApiKeyDirectory directory;
    private final PlanCatalog plans;

    public Authenticator(ApiKeyHasher hasher, ApiKeyDirectory directory, PlanCatalog plans) {
        this.hasher = hasher;
        this.directory = directory;
        this.plans = plans;
    }

    public Authentication authenticate(Optional<String> authorizationHeader) {
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
        Optional<ApiKeyRecord> found = directory.findByHash(hash);
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
