package run.creativeai.gateway.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import run.creativeai.gateway.plan.PlanCatalog;

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
}
