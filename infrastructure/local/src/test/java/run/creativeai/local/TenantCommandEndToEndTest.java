package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
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
}
