package run.creativeai.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
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
        Map<String, String> headers = signer.headers("msg_p5jXN8AQM9LWM0D4loKWxJek", body, secret,
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
        assertThat(signer.headers("evt_1", body, secret, Instant.EPOCH))
                .containsEntry("X-CreativeAI-Signature", "sha256=" + HexFormat.of().formatHex(mac.doFinal(body)));
    }

    @Test
    void theSeedsHeaderNameIsConfigurable() {
        SigningSecret secret = new SigningSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertThat(new WebhookSigner("X-Acme-Signature").headers("e", new byte[0], secret, Instant.EPOCH))
                .containsKey("X-Acme-Signature").doesNotContainKey("X-CreativeAI-Signature");
    }

    @Test
    void aSecretNeverShowsInToString() {
        assertThat(new SigningSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").toString()).doesNotContain("MfKQ");
    }
}
