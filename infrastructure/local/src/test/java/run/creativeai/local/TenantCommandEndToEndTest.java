package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.admin.TenantCommand;

/** The tenant command against a running local cloud, as an operator runs it. */
@ExtendWith(LocalCloudExtension.class)
class TenantCommandEndToEndTest {
    private static LocalCloud cloud;
    private static Api api;

    @BeforeAll
    static void start(LocalCloud localCloud) {
        cloud = localCloud;
        api = new Api(cloud);
    }

    private static AdminRun tenant(String... args) {
        return AdminRun.of(TenantCommand::run, cloud, args);
    }

    private static String field(String output, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\s+(\\S+)").matcher(output);
        assertThat(m.find()).as(name + " in:\n" + output).isTrue();
        return m.group(1);
    }

    @Test
    void aKeyCreatedByTheCommandWorksAtOnceAndStopsWorkingOnTheRequestAfterItsRevocation() {
        AdminRun created = tenant("create-key", "cli-acme", "pro");
        assertThat(created.status()).as(created.err()).isZero();
        String key = field(created.out(), "api_key");
        String keyId = field(created.out(), "key_id");
        assertThat(key).startsWith("sk_live_");
        assertThat(tenant("credits", "add", "cli-acme", "1000").status()).isZero();

        assertThat(api.post("/v1/images/generations", key, "{\"model\":\"sdxl\",\"prompt\":\"cli\"}").status()).isEqualTo(202);
        assertThat(tenant("list-keys", "cli-acme").out()).contains(keyId).contains("active").doesNotContain(key);

        AdminRun revoked = tenant("revoke-key", "cli-acme", keyId);
        assertThat(revoked.status()).as(revoked.err()).isZero();
        Api.Response refused = api.get("/v1/models", key);
        assertThat(refused.status()).as("the very next request").isEqualTo(401);
        assertThat(refused.json().path("error").path("message").asText()).contains("revoked");
        assertThat(tenant("list-keys", "cli-acme").out()).contains("revoked");
    }

    @Test
    void theLocalWebhookReceiverVerifiesTheSignaturesOfATenantTheCommandCreated() {
        AdminRun created = tenant("create-key", "cli-signed", "pro");
        assertThat(created.status()).as(created.err()).isZero();
        String key = field(created.out(), "api_key");
        assertThat(tenant("credits", "add", "cli-signed", "1000").status()).isZero();
        String path = "/cli-signed-" + System.nanoTime();
        Api.Response job = api.post("/v1/images/generations", key, "{\"model\":\"sdxl\",\"prompt\":\"signed\","
                + "\"webhook_url\":\"" + cloud.apiUrl() + "/_local/webhooks" + path + "\"}");
        assertThat(job.status()).as(job.toString()).isEqualTo(202);

        assertThat(cloud.services().webhooks().await(d -> d.path().equals(path), 1, Duration.ofSeconds(60)))
                .as("the job's webhook arrived").hasSize(1);
        JsonNode seen = api.get("/_local/webhooks" + path, key).json().path("deliveries").get(0);
        assertThat(seen.path("signature_valid").asBoolean()).as(seen.toString()).isTrue();
        assertThat(seen.path("signed_for_tenant").asText()).isEqualTo("cli-signed");
    }

    @Test
    void aKeyIdOfAnotherTenantOrAnUnknownCommandIsRefused() {
        String keyId = field(tenant("create-key", "cli-owner", "free").out(), "key_id");
        AdminRun other = tenant("revoke-key", "cli-intruder", keyId);
        assertThat(other.status()).isEqualTo(1);
        assertThat(other.err()).contains("has no key " + keyId);
        assertThat(tenant("create-key", "cli-owner", "platinum").err()).contains("unknown plan platinum");
        assertThat(tenant("frobnicate", "cli-owner").status()).isEqualTo(2);
    }

    @Test
    void aSigningSecretRotationStartsShowsBothSecretsAndFinishes() {
        tenant("create-key", "cli-rotating", "pro");
        String current = field(tenant("signing-secret", "cli-rotating").out(), "current");
        AdminRun rotated = tenant("rotate-secret", "cli-rotating");
        assertThat(rotated.status()).as(rotated.err()).isZero();
        String next = field(rotated.out(), "next");
        assertThat(next).startsWith("whsec_").isNotEqualTo(current);
        String during = tenant("signing-secret", "cli-rotating").out();
        assertThat(field(during, "current")).isEqualTo(current);
        assertThat(field(during, "next")).isEqualTo(next);
        assertThat(tenant("rotate-secret", "cli-rotating").err()).contains("in progress");

        assertThat(tenant("finish-rotation", "cli-rotating").status()).isZero();
        String after = tenant("signing-secret", "cli-rotating").out();
        assertThat(field(after, "current")).isEqualTo(next);
        assertThat(after).doesNotContain("next ");
    }

    // ---- a tenant's account: credits, custom limits, dedicated slots, each recorded with who and when

    @Test
    void aNewTenantIsRefusedFor402UntilItsCreditsAreToppedUpAndTheJobShowsItsCost() {
        String key = field(tenant("create-key", "cli-credits", "pro").out(), "api_key");
        Api.Response refused = api.post("/v1/images/generations", key, "{\"model\":\"sdxl\",\"prompt\":\"paid\"}");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(402);
        assertThat(refused.json().path("error").path("code").asText()).isEqualTo("insufficient_credits");
        assertThat(refused.json().path("balance").asLong()).isZero();
        assertThat(refused.json().path("required").asLong()).isEqualTo(4);

        AdminRun topUp = tenant("--operator", "ops@example.com", "credits", "add", "cli-credits", "500");
        assertThat(topUp.status()).as(topUp.err()).isZero();
        assertThat(topUp.out()).contains("balance 500");
        // The instance that refused had the balance from DynamoDB: it answers from it for up to a second.
        AtomicReference<Api.Response> accepted = new AtomicReference<>();
        await("the top-up counts within a second").atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    Api.Response answer = api.post("/v1/images/generations", key,
                            "{\"model\":\"sdxl\",\"prompt\":\"paid\"}");
                    assertThat(answer.status()).as(answer.toString()).isIn(202, 402);
                    accepted.set(answer);
                    return answer.status() == 202;
                });
        JsonNode job = api.awaitJob(accepted.get().json().path("id").asText(), key,
                j -> j.path("status").asText().equals("succeeded"), Duration.ofSeconds(60));
        assertThat(job.path("cost").toString()).isEqualTo(
                "{\"currency\":\"credits\",\"reserved\":4,\"charged\":4,\"refunded\":0}");
        String shown = tenant("show", "cli-credits").out();
        assertThat(shown).contains("credits    balance 496").contains("plan pro");
        assertThat(tenant("audit", "cli-credits").out()).contains("ops@example.com").contains("credits add")
                .contains("+500 credits");
    }

    @Test
    void badInputIsRefusedWithAClearErrorAndChangesNothing() {
        tenant("create-key", "cli-bad", "pro");
        tenant("credits", "set", "cli-bad", "100");
        assertThat(tenant("credits", "add", "cli-bad", "-50").err()).contains("credits must be a whole number from 1");
        assertThat(tenant("credits", "add", "cli-bad", "5000000000").err()).contains("from 1 to 1000000000");
        assertThat(tenant("credits", "add", "cli-bad", "lots").err()).contains("N must be a whole number, not lots");
        assertThat(tenant("limits", "set", "cli-bad", "requests_per_fortnight", "5").err())
                .contains("no rule requests_per_fortnight");
        assertThat(tenant("limits", "set", "cli-bad", "daily_tasks", "0").err()).contains("daily_tasks must be a whole number");
        assertThat(tenant("reserve", "cli-bad", "kling", "51").err()).contains("kling has 50 slots");
        assertThat(tenant("reserve", "cli-bad", "dalle", "1").err()).contains("unknown provider dalle");
        AdminRun usage = tenant("credits", "give", "cli-bad", "5");
        assertThat(usage.status()).isEqualTo(2);
        String shown = tenant("show", "cli-bad").out();
        assertThat(shown).contains("balance 100,").contains("limits     the plan's own").contains("dedicated  none");
        assertThat(tenant("audit", "cli-bad").out()).as("only the one change that was made")
                .containsOnlyOnce("credits set");
    }

    @Test
    void aCustomLimitSetByTheCommandAppliesFromTheTenantsNextRequestAndClearingItRestoresThePlans() {
        String key = field(tenant("create-key", "cli-limits", "pro").out(), "api_key");
        tenant("credits", "add", "cli-limits", "1000");
        AdminRun set = tenant("limits", "set", "cli-limits", "plan_requests_per_minute", "2");
        assertThat(set.status()).as(set.err()).isZero();
        String body = "{\"model\":\"sdxl\",\"prompt\":\"limited\"}";
        // Three requests inside one minute of the clock: a run that straddles a boundary sees two windows.
        Api.Response first;
        Api.Response third;
        long minute;
        int runs = 0;
        do {
            minute = Instant.now().getEpochSecond() / 60;
            first = api.post("/v1/images/generations", key, body);
            api.post("/v1/images/generations", key, body);
            third = api.post("/v1/images/generations", key, body);
        } while (Instant.now().getEpochSecond() / 60 != minute && ++runs < 3);
        assertThat(first.status()).as(first.toString()).isEqualTo(202);
        assertThat(first.header("RateLimit-Policy")).contains("\"plan_requests_per_minute\";q=2;w=60");
        assertThat(third.status()).as(third.toString()).isEqualTo(429);
        assertThat(third.json().path("rate_limit").path("limit").asLong()).isEqualTo(2);
        assertThat(api.get("/v1/quota", key).json().path("rate_limits").toString())
                .contains("\"rule\":\"plan_requests_per_minute\",\"unit\":\"requests\",\"window\":\"fixed\","
                        + "\"window_seconds\":60,\"per\":\"key\",\"limit\":2");

        assertThat(tenant("limits", "clear", "cli-limits", "plan_requests_per_minute").status()).isZero();
        assertThat(api.get("/v1/quota", key).json().path("rate_limits").toString())
                .contains("\"rule\":\"plan_requests_per_minute\",\"unit\":\"requests\",\"window\":\"fixed\","
                        + "\"window_seconds\":60,\"per\":\"key\",\"limit\":100");
        assertThat(tenant("audit", "cli-limits").out()).contains("limits set").contains("limits clear");
    }
}
