package run.creativeai.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {
    private final WebhookSigner signer = new WebhookSigner("X-CreativeAI-Signature");

    @Test
    void theStandardWebhooksSignatureMatchesTheSpecificationsReferenceVector() {
        // The example of the Standard Webhooks specification: any receiver library verifies this.
        SigningSecret secret = new SigningSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        byte[] body = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = signer.headers("msg_p5jXN8AQM9LWM0D4loKWxJek", body, List.of(secret),
                Instant.ofEpochSecond(1614265330));
        assertThat(headers).containsEntry("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek")
                .containsEntry("webhook-timestamp", "1614265330")
                .containsEntry("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void theSeedsHeaderIsTheHexHmacOfTheExactBody() throws Exception {
        SigningSecret secret = new SigningSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        byte[] body = "{\"event_id\":\"evt_1\",\"data\":{\"prompt\":\"caf\u00e9\"}}".getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(java.util.Base64.getDecoder().decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "HmacSHA256"));
        assertThat(signer.headers("evt_1", body, List.of(secret), Instant.EPOCH))
                .containsEntry("X-CreativeAI-Signature", "sha256=" + HexFormat.of().formatHex(mac.doFinal(body)));
    }

    @Test
    void theSeedsHeaderNameIsConfigurable() {
        SigningSecret secret = new SigningSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertThat(new WebhookSigner("X-Acme-Signature").headers("e", new byte[0], List.of(secret), Instant.EPOCH))
                .containsKey("X-Acme-Signature").doesNotContainKey("X-CreativeAI-Signature");
    }

    @Test
    void duringARotationEachHeaderCarriesOneSignaturePerSecretAndEitherSecretVerifies() throws Exception {
        SigningSecret old = new SigningSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        SigningSecret next = new SigningSecret("whsec_" + java.util.Base64.getEncoder().encodeToString(
                "a-new-secret-of-32-bytes-exactly".getBytes(StandardCharsets.UTF_8)));
        byte[] body = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
        Instant at = Instant.ofEpochSecond(1614265330);
        Map<String, String> both = signer.headers("msg_p5jXN8AQM9LWM0D4loKWxJek", body, List.of(old, next), at);
        Map<String, String> oldOnly = signer.headers("msg_p5jXN8AQM9LWM0D4loKWxJek", body, List.of(old), at);
        Map<String, String> nextOnly = signer.headers("msg_p5jXN8AQM9LWM0D4loKWxJek", body, List.of(next), at);

        assertThat(both.get("webhook-signature"))
                .isEqualTo(oldOnly.get("webhook-signature") + " " + nextOnly.get("webhook-signature"))
                .startsWith("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v1,");
        assertThat(both.get("X-CreativeAI-Signature"))
                .isEqualTo(oldOnly.get("X-CreativeAI-Signature") + ", " + nextOnly.get("X-CreativeAI-Signature"));
    }

    @Test
    void aSecretNeverShowsInToString() {
        assertThat(new SigningSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").toString()).doesNotContain("MfKQ");
    }
}
