package run.creativeai.gateway.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import run.creativeai.gateway.plan.PlanCatalog;
import run.creativeai.gateway.tenant.ApiKeyHasher;
import run.creativeai.gateway.tenant.ApiKeyRecord;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantStanding;
import run.creativeai.gateway.testing.MutableClock;

class AuthenticatorTest {
    private static final String KEY = "sk_live_0123456789abcdefghijklmnopqrstuv";
    private final ApiKeyHasher hasher = new ApiKeyHasher("a pepper of sixteen bytes or more".getBytes(StandardCharsets.UTF_8));
    private final ApiKeyRecord record = new ApiKeyRecord(hasher.hash(KEY), new KeyId("key_test1"), new TenantId("acme"), "pro",
            TenantStanding.ACTIVE, false);
    private final Authenticator authenticator = new Authenticator(hasher,
            hash -> hash.equals(record.keyHash()) ? Optional.of(record) : Optional.empty(), PlanCatalog.defaults());

    private Authentication authenticate(String header) {
        return authenticator.authenticate(Optional.of(header));
    }

    /** RFC 9110: optional white space is spaces and tabs, around the header value and after the scheme. */
    @ParameterizedTest
    @ValueSource(strings = {"Bearer " + KEY, "bearer " + KEY, " Bearer " + KEY + " ", "\tBearer \t" + KEY + "\t",
        "Bearer    " + KEY})
    void theKeyAuthenticatesWithSpacesAndTabsAroundIt(String header) {
        assertThat(authenticate(header)).isInstanceOf(Authentication.Authenticated.class);
    }

    /** Anything else around the key makes it another string, which is no key: String.trim() once let these in. */
    @ParameterizedTest
    @ValueSource(strings = {"Bearer " + KEY + "\u0000", "Bearer \u0000" + KEY, "Bearer " + KEY + "\r",
        "Bearer " + KEY + "\n", "Bearer " + KEY + "\u001f", "\u000bBearer " + KEY, "Bearer " + KEY + "\u00a0",
        "Bearer\u0000" + KEY})
    void controlCharactersAroundTheKeyAreNotWhiteSpace(String header) {
        assertThat(authenticate(header)).as(header.replaceAll("\\p{Cntrl}", "^")).isInstanceOf(Authentication.Rejected.class);
    }

    @Test
    void aCreationReusesAKeyReadWithinTheRecentTimeAndReadsItAgainAfter() {
        AtomicInteger reads = new AtomicInteger();
        AtomicReference<ApiKeyRecord> stored = new AtomicReference<>(record);
        MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
        Authenticator recent = new Authenticator(hasher, hash -> {
            reads.incrementAndGet();
            return hash.equals(record.keyHash()) ? Optional.of(stored.get()) : Optional.empty();
        }, PlanCatalog.defaults(), clock, Authenticator.RECENT);
        Optional<String> header = Optional.of("Bearer " + KEY);

        assertThat(recent.authenticateRecent(header)).isInstanceOf(Authentication.Authenticated.class);
        stored.set(revoked());
        clock.advance(Authenticator.RECENT.minusMillis(1));
        assertThat(recent.authenticateRecent(header)).as("within the recent time: the record read before")
                .isInstanceOf(Authentication.Authenticated.class);
        assertThat(reads).hasValue(1);

        clock.advance(Duration.ofMillis(1));
        assertThat(recent.authenticateRecent(header)).as("the recent time is over: read again, and revoked")
                .isEqualTo(new Authentication.Rejected("this API key has been revoked"));
        assertThat(reads).hasValue(2);
    }

    @Test
    void aRevocationAnyRouteHasReadHoldsForCreationsOnTheNextRequest() {
        AtomicReference<ApiKeyRecord> stored = new AtomicReference<>(record);
        Authenticator recent = new Authenticator(hasher,
                hash -> hash.equals(record.keyHash()) ? Optional.of(stored.get()) : Optional.empty(),
                PlanCatalog.defaults(), MutableClock.at("2026-11-23T10:00:00Z"), Authenticator.RECENT);
        Optional<String> header = Optional.of("Bearer " + KEY);
        assertThat(recent.authenticateRecent(header)).isInstanceOf(Authentication.Authenticated.class);
        stored.set(revoked());

        assertThat(recent.authenticate(header)).as("a read route reads afresh")
                .isInstanceOf(Authentication.Rejected.class);
        assertThat(recent.authenticateRecent(header)).as("and a creation then knows it")
                .isInstanceOf(Authentication.Rejected.class);
    }

    @Test
    void anAuthenticatorWithoutAReuseTimeReadsTheKeyForEveryCreation() {
        AtomicInteger reads = new AtomicInteger();
        Authenticator fresh = new Authenticator(hasher, hash -> {
            reads.incrementAndGet();
            return Optional.of(record);
        }, PlanCatalog.defaults());
        fresh.authenticateRecent(Optional.of("Bearer " + KEY));
        fresh.authenticateRecent(Optional.of("Bearer " + KEY));
        assertThat(reads).hasValue(2);
    }

    private ApiKeyRecord revoked() {
        return new ApiKeyRecord(record.keyHash(), record.keyId(), record.tenantId(), record.plan(), record.standing(), true);
    }
}
